/** A provision code as a technician types it, made into the 16 characters the server knows. */
import { PROVISION_CODE_LENGTH } from "../../../server/contracts";

export type NormalizedCode = { ok: true; code: string } | { ok: false; error: string };

/** Upper-cases a typed code and drops spaces and dashes ("abcd-1234 efgh-5678" → "ABCD1234EFGH5678"). */
export function normalizeProvisionCode(input: string): NormalizedCode {
  const code = input.replace(/[\s-]+/g, "").toUpperCase();
  if (code.length === 0) return { ok: false, error: "No provision code entered" };
  if (!/^[A-Z0-9]*$/.test(code)) {
    return { ok: false, error: "A provision code contains only letters A-Z and digits 0-9" };
  }
  if (code.length !== PROVISION_CODE_LENGTH) {
    return {
      ok: false,
      error: `A provision code has ${PROVISION_CODE_LENGTH} characters; that one has ${code.length}`,
    };
  }
  return { ok: true, code };
}
