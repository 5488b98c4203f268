/** NTLM negotiate flags (MS-NLMP 2.2.2.5) that this implementation uses. */
export const NtlmFlag = {
  UNICODE: 0x00000001,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSION_SECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  KEY_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  KEY_56: 0x80000000,
} as const;

/** What a Windows client asks for (0xE2088235 in the note): Unicode, NTLMv2 with ESS, sign and seal, 128-bit, key exchange. */
export const CLIENT_FLAGS =
  (NtlmFlag.UNICODE |
    NtlmFlag.REQUEST_TARGET |
    NtlmFlag.SIGN |
    NtlmFlag.SEAL |
    NtlmFlag.NTLM |
    NtlmFlag.ALWAYS_SIGN |
    NtlmFlag.EXTENDED_SESSION_SECURITY |
    NtlmFlag.VERSION |
    NtlmFlag.KEY_128 |
    NtlmFlag.KEY_EXCH |
    NtlmFlag.KEY_56) >>>
  0;

/** Flags without which this client refuses to go on: sealing needs them, and nothing weaker is offered. */
export const REQUIRED_FLAGS =
  (NtlmFlag.UNICODE | NtlmFlag.SIGN | NtlmFlag.SEAL | NtlmFlag.EXTENDED_SESSION_SECURITY | NtlmFlag.KEY_128) >>> 0;

export function hasFlag(flags: number, flag: number): boolean {
  return (flags & flag) >>> 0 === flag >>> 0;
}
