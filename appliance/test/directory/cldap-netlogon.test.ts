/** Parsing NETLOGON_SAM_LOGON_RESPONSE_EX (MS-ADTS 6.3.1.9), with RFC 1035 name compression. */
import { describe, expect, it } from "vitest";
import { parseNetlogonResponse } from "../../src/directory/discovery/cldap-netlogon";

function labels(name: string): Buffer {
  const parts = name === "" ? [] : name.split(".");
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

function pointer(offset: number): Buffer {
  return Buffer.from([0xc0 | (offset >> 8), offset & 0xff]);
}

describe("parseNetlogonResponse", () => {
  it("reads the names, following compression pointers", () => {
    const header = Buffer.alloc(24);
    header.writeUInt16LE(23, 0); // LOGON_SAM_LOGON_RESPONSE_EX
    header.writeUInt32LE(0x3f1fd, 4); // flags
    const forest = labels("clinic.local"); // at offset 24
    const parts = [
      header,
      forest,
      pointer(24), // DnsDomainName = forest
      Buffer.concat([Buffer.from([3]), Buffer.from("dc1"), pointer(24)]), // dc1.clinic.local
      labels("CLINIC"),
      labels("DC1"),
      labels(""), // user name
      labels("Default-First-Site-Name"),
      labels("Branch"), // client site
      Buffer.from([5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), // NtVersion, tokens
    ];
    expect(parseNetlogonResponse(Buffer.concat(parts))).toEqual({
      forest: "clinic.local",
      dnsDomain: "clinic.local",
      dnsHostName: "dc1.clinic.local",
      netbiosDomain: "CLINIC",
      netbiosComputer: "DC1",
      site: "Default-First-Site-Name",
    });
  });

  it("refuses another opcode", () => {
    const buf = Buffer.alloc(40);
    buf.writeUInt16LE(19, 0);
    expect(() => parseNetlogonResponse(buf)).toThrow("opcode 19");
  });
});
