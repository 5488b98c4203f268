import { hash, verify } from "@node-rs/argon2";

// OWASP's recommended minimum for argon2id: 19 MiB, 2 passes, 1 lane.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }; // @node-rs/argon2 defaults to argon2id

/** One length rule for sign-in, the CLI and invitations: the shared contract owns it. */
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/server/contracts/users";

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
