/**
 * NTLM session security (MS-NLMP 3.4) with extended session security, 128-bit keys and key exchange: each
 * direction has its own signing key, its own RC4 keystream kept for the whole session, and its own sequence
 * number. Messages must be unsealed in the order they were sealed; a bad signature ends the session (the
 * keystream can no longer be trusted), so the caller must log in again.
 */
import { timingSafeEqual } from "node:crypto";
import { hmacMd5, sessionKeys } from "./crypto.ts";
import { Rc4 } from "./rc4.ts";

export const SIGNATURE_LENGTH = 16;

export class NtlmIntegrityError extends Error {
  constructor() {
    super("the NTLM signature of a message did not verify");
  }
}

class Direction {
  private seq = 0;
  private readonly rc4: Rc4;

  constructor(
    private readonly signKey: Buffer,
    sealKey: Buffer,
    private readonly keyExchange: boolean,
  ) {
    this.rc4 = new Rc4(sealKey);
  }

  /** Seals (when `seal`) then signs, in the order MS-NLMP requires: message first, then the checksum. */
  protect(message: Buffer, seal: boolean): { data: Buffer; signature: Buffer } {
    const data = seal ? this.rc4.update(message) : message;
    return { data, signature: this.signature(message) };
  }

  /** Unseals (when `sealed`) and verifies; throws NtlmIntegrityError on a mismatch. */
  unprotect(data: Buffer, signature: Buffer, sealed: boolean): Buffer {
    const message = sealed ? this.rc4.update(data) : data;
    const expected = this.signature(message);
    if (signature.length !== SIGNATURE_LENGTH || !timingSafeEqual(expected, signature)) {
      throw new NtlmIntegrityError();
    }
    return message;
  }

  private signature(message: Buffer): Buffer {
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(this.seq >>> 0);
    this.seq += 1;
    let checksum = hmacMd5(this.signKey, seq, message).subarray(0, 8);
    if (this.keyExchange) checksum = this.rc4.update(checksum);
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
  }
}

export class NtlmSession {
  private readonly outgoing: Direction;
  private readonly incoming: Direction;

  /** `role` decides which keys are "ours": a client sends with the client-to-server keys. */
  constructor(exportedSessionKey: Buffer, role: "client" | "server", keyExchange = true) {
    const k = sessionKeys(exportedSessionKey);
    const client = [k.clientSign, k.clientSeal] as const;
    const server = [k.serverSign, k.serverSeal] as const;
    const [mine, theirs] = role === "client" ? [client, server] : [server, client];
    this.outgoing = new Direction(mine[0], mine[1], keyExchange);
    this.incoming = new Direction(theirs[0], theirs[1], keyExchange);
  }

  seal(message: Buffer): { sealed: Buffer; signature: Buffer } {
    const { data, signature } = this.outgoing.protect(message, true);
    return { sealed: data, signature };
  }

  unseal(sealed: Buffer, signature: Buffer): Buffer {
    return this.incoming.unprotect(sealed, signature, true);
  }

  sign(message: Buffer): Buffer {
    return this.outgoing.protect(message, false).signature;
  }

  verify(message: Buffer, signature: Buffer): void {
    this.incoming.unprotect(message, signature, false);
  }
}
