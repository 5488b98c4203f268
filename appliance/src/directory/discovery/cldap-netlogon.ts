/**
 * The CLDAP "netlogon ping" (MS-ADTS 6.3.3): one UDP datagram to a DC's port 389, a base search with the filter
 * (&(DnsDomain=<domain>)(NtVer=\06\00\00\00)) for the `Netlogon` attribute, answered anonymously with a
 * NETLOGON_SAM_LOGON_RESPONSE_EX. It is how Windows clients learn the domain's NetBIOS name, and costs one round
 * trip; when it fails (UDP filtered, old DC) discovery simply goes without the NetBIOS name.
 */
import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import { type Attribute, FilterParser, MessageParser, SearchEntry, SearchRequest } from "ldapts";

export interface NetlogonInfo {
  forest: string;
  dnsDomain: string;
  dnsHostName: string;
  netbiosDomain: string;
  netbiosComputer: string;
  site: string;
}

/** Reads an RFC 1035 name (labels, or a pointer into `buf`) at `offset`. */
function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = buf.readUInt8(pos);
    if (len === 0) {
      return { name: labels.join("."), next: next === -1 ? pos + 1 : next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (next === -1) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf.readUInt8(pos + 1);
      continue;
    }
    labels.push(buf.toString("utf8", pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw new Error("netlogon response: name pointer loop");
}

/** Parses NETLOGON_SAM_LOGON_RESPONSE_EX (opcode 23). */
export function parseNetlogonResponse(buf: Buffer): NetlogonInfo {
  const opcode = buf.readUInt16LE(0);
  if (opcode !== 23) throw new Error(`netlogon response: opcode ${opcode}, expected 23 (LOGON_SAM_LOGON_RESPONSE_EX)`);
  let offset = 2 + 2 + 4 + 16; // opcode, sbz, flags, domain GUID
  const names: string[] = [];
  for (let i = 0; i < 7; i++) {
    const { name, next } = readName(buf, offset);
    names.push(name);
    offset = next;
  }
  const [forest = "", dnsDomain = "", dnsHostName = "", netbiosDomain = "", netbiosComputer = "", , site = ""] = names;
  return { forest, dnsDomain, dnsHostName, netbiosDomain, netbiosComputer, site };
}

function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Sends the netlogon ping to `address` and resolves the answer, or null on no (valid) answer in time. */
export function cldapNetlogon(
  address: string,
  domain: string,
  timeoutMs = 1500,
  port = 389,
): Promise<NetlogonInfo | null> {
  const request = new SearchRequest({
    messageId: 1,
    baseDN: "",
    scope: "base",
    filter: FilterParser.parseString(`(&(DnsDomain=${escapeFilterValue(domain)})(NtVer=\\06\\00\\00\\00))`),
    attributes: ["Netlogon"],
    explicitBufferAttributes: ["Netlogon"],
  });
  return new Promise((resolve) => {
    const socket = dgram.createSocket(isIPv6(address) ? "udp6" : "udp4");
    let settled = false;
    const finish = (info: NetlogonInfo | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(info);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const parser = new MessageParser();
    parser.on("message", (message: unknown) => {
      if (!(message instanceof SearchEntry)) return;
      const value = message.attributes.find((a: Attribute) => a.type.toLowerCase() === "netlogon")?.values[0];
      try {
        finish(Buffer.isBuffer(value) ? parseNetlogonResponse(value) : null);
      } catch {
        finish(null);
      }
    });
    parser.on("error", () => finish(null));
    socket.on("error", () => finish(null));
    socket.on("message", (data) => parser.read(data, new Map([["1", { message: request }]])));
    socket.send(request.write(), port, address, (err) => {
      if (err) finish(null);
    });
  });
}
