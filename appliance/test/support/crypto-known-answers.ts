/** Fixtures shared by the crypto tests. */
import type { SealedSecretBinding } from "../../../server/contracts";

export const APPLIANCE_ID = "partner-clinic-abc123-84:3A:5B:91:B6:61";

/** What a test secret is sealed for (the appliance, the credential, the target's host and user). */
export const BINDING: SealedSecretBinding = {
  applianceId: APPLIANCE_ID,
  credentialId: "cred-kat-1",
  hostname: "dc01.clinic.local",
  username: "CLINIC\\svc-osiris",
};

/**
 * Known answers computed outside Node, with Python's `cryptography` package (HKDF, X25519, AESGCM), from
 * the formats in server/contracts/sealed-secret.ts and appliance/src/crypto/appliance-key.ts:
 *   root secret bytes 200..231; ephemeral private key bytes 1..32; nonce bytes 100..111;
 *   plaintext "Winter2026!/dc01 ✓"; bound to BINDING.
 */
export const KAT = {
  rootSecret: "yMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5uc",
  apiKey: "9tPAuV4DfyJrhkskJCC7T332irDjtG_8",
  publicKey: "TtjsrPaAIv4OJ0sup1yaZ+QUB2oY2LxKYdfGet1BinI=",
  plaintext: "Winter2026!/dc01 ✓",
  sealed:
    "AgejfLwUIJPIt1XcGxDobLQmN0rRaqhT7QvfwLK4bRx8ZGVmZ2hpamtsbW5vZwi6Pdk+fo/om1M0lKEA/v2YFTFncKqw/6ZTrgXIuiak+yoY",
};
