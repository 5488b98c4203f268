/**
 * RC4, the stream cipher of NTLM session security (and of the key exchange). Node 20's OpenSSL 3 refuses it
 * without the legacy provider. One instance is one keystream: NTLM keeps one per direction for a whole session,
 * so the order of calls matters.
 */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0) throw new Error("RC4 needs a non-empty key");
    for (let k = 0; k < 256; k++) this.s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + this.at(k) + (key[k % key.length] ?? 0)) & 0xff;
      this.swap(k, j);
    }
  }

  /** Encrypts or decrypts (the same operation), advancing the keystream. */
  update(data: Uint8Array): Buffer {
    const out = Buffer.alloc(data.length);
    for (let n = 0; n < data.length; n++) {
      this.i = (this.i + 1) & 0xff;
      this.j = (this.j + this.at(this.i)) & 0xff;
      this.swap(this.i, this.j);
      out[n] = (data[n] ?? 0) ^ this.at((this.at(this.i) + this.at(this.j)) & 0xff);
    }
    return out;
  }

  private at(k: number): number {
    return this.s[k] ?? 0;
  }

  private swap(p: number, q: number): void {
    const t = this.at(p);
    this.s[p] = this.at(q);
    this.s[q] = t;
  }
}

/** RC4K of MS-NLMP: a fresh keystream for one message (the key exchange). */
export function rc4k(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
