/**
 * The client's IP address. The custom server (scripts/serve.ts) computes it from the socket, or from
 * X-Forwarded-For when the socket's peer is a configured trusted proxy, and passes it on in
 * CLIENT_IP_HEADER, overwriting whatever a client sent in that header. Route handlers read only that.
 */
import { BlockList, isIP } from "node:net";

export const CLIENT_IP_HEADER = "x-osiris-client-ip";
/** The original request path (set by scripts/serve.ts), for sign-in redirects back to a page. */
export const PATH_HEADER = "x-osiris-path";

function normalise(ip: string): string {
  const v4 = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  return v4?.[1] ?? ip;
}

export function parseTrustedProxies(spec: string): BlockList {
  const list = new BlockList();
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr = "", bits] = entry.split("/");
    const family = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (!isIP(addr)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR`);
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return list;
}

function isTrusted(list: BlockList, ip: string): boolean {
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * Socket peer, unless it is a trusted proxy: then the right-most X-Forwarded-For address that is not
 * itself a trusted proxy (the left part of the header is client-controlled and never believed).
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
): string | null {
  if (!socketAddress) return null;
  let ip = normalise(socketAddress);
  if (!isTrusted(trusted, ip)) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => normalise(s.trim()))
    .filter((s) => isIP(s));
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i] ?? ip;
    if (!isTrusted(trusted, ip)) return ip;
  }
  return ip;
}
