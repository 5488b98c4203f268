/**
 * The appliance's RC4 against OpenSSL's (its legacy provider, enabled for the `openssl` command of this test only;
 * the product never uses it): the RFC 6229 keystream of the 128-bit key 0x0102…10, and 64 KiB of a random key's
 * stream fed in uneven pieces, as sealing a session's messages one after another does.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Rc4 } from "@/appliance/src/winrm/ntlm/rc4.ts";

function opensslRc4(key: Buffer, data: Buffer): Buffer {
  return execFileSync(
    "openssl",
    ["enc", "-rc4", "-K", key.toString("hex"), "-nosalt", "-provider", "legacy", "-provider", "default"],
    { input: data },
  );
}

/** The first offset where the two differ, or -1 (a diff of 64 KiB buffers would take minutes to print). */
function firstDifference(a: Buffer, b: Buffer): number {
  for (let n = 0; n < Math.max(a.length, b.length); n++) if (a[n] !== b[n]) return n;
  return -1;
}

describe("RC4 against OpenSSL", () => {
  it("gives RFC 6229's keystream for the 128-bit key 0x0102…10", () => {
    const key = Buffer.from("0102030405060708090a0b0c0d0e0f10", "hex");
    const stream = new Rc4(key).update(Buffer.alloc(4112));
    // RFC 6229, offsets 0 and 16 (the same bytes OpenSSL gives, checked below over the whole length).
    expect(stream.subarray(0, 32).toString("hex")).toBe(
      "9ac7cc9a609d1ef7b2932899cde41b975248c4959014126a6e8a84f11d1a9e1c",
    );
    expect(firstDifference(stream, opensslRc4(key, Buffer.alloc(4112)))).toBe(-1);
  });

  it("keeps one keystream over 64 KiB sealed in uneven pieces", () => {
    const key = randomBytes(16);
    const data = randomBytes(65_536);
    const rc4 = new Rc4(key);
    const pieces: Buffer[] = [];
    for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7 + 3) % 4099 || 1) {
      pieces.push(rc4.update(data.subarray(at, at + size)));
    }
    expect(firstDifference(Buffer.concat(pieces), opensslRc4(key, data))).toBe(-1);
  });
});
