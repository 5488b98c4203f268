/** Fixtures shared by the crypto tests. */
export const APPLIANCE_ID = "partner-clinic-abc123-84:3A:5B:91:B6:61";

/**
 * Known answers computed outside Node, with Python's `cryptography` package (HKDF, X25519, AESGCM),
 * from the format in server/contracts/checkin.ts:
 *   api key "abcdefghijklmnopqrstuvwxyz012345"; ephemeral private key bytes 1..32; nonce bytes 100..111;
 *   plaintext "Winter2026!/dc01 ✓"; appliance id APPLIANCE_ID.
 */
export const KAT = {
  apiKey: "abcdefghijklmnopqrstuvwxyz012345",
  publicKey: "5p6sy4uegqm9DgTMAXsH4mdvajTWxkgKzzXs6zKE42g=",
  plaintext: "Winter2026!/dc01 ✓",
  sealed:
    "AQejfLwUIJPIt1XcGxDobLQmN0rRaqhT7QvfwLK4bRx8ZGVmZ2hpamtsbW5v4EnkGVFIhkD5TfvL78T48Yy0buUldASyNBbTRyOV3k57Z0kS",
};
