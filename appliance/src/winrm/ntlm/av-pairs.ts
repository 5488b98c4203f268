/** The target information of the CHALLENGE and of the NTLMv2 response: AV pairs (MS-NLMP 2.2.2.1). */
export const AvId = {
  EOL: 0,
  NbComputerName: 1,
  NbDomainName: 2,
  DnsComputerName: 3,
  DnsDomainName: 4,
  DnsTreeName: 5,
  Flags: 6,
  Timestamp: 7,
  SingleHost: 8,
  TargetName: 9,
  ChannelBindings: 10,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE carries a MIC. */
export const AV_FLAG_MIC_PRESENT = 0x2;

export type AvPair = { id: number; value: Buffer };

export function parseAvPairs(data: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let offset = 0;
  while (offset + 4 <= data.length) {
    const id = data.readUInt16LE(offset);
    const length = data.readUInt16LE(offset + 2);
    if (id === AvId.EOL) return pairs;
    if (offset + 4 + length > data.length) throw new Error("NTLM target info is truncated");
    pairs.push({ id, value: data.subarray(offset + 4, offset + 4 + length) });
    offset += 4 + length;
  }
  throw new Error("NTLM target info has no end marker");
}

/** Encodes the pairs followed by MsvAvEOL. */
export function encodeAvPairs(pairs: AvPair[]): Buffer {
  const parts = pairs.flatMap(({ id, value }) => {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(id, 0);
    head.writeUInt16LE(value.length, 2);
    return [head, value];
  });
  return Buffer.concat([...parts, Buffer.alloc(4)]);
}

export function findAv(pairs: AvPair[], id: number): Buffer | undefined {
  return pairs.find((p) => p.id === id)?.value;
}

export function utf16(text: string): Buffer {
  return Buffer.from(text, "utf16le");
}
