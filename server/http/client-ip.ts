/**
 * The client's IP address. The custom server (scripts/serve.ts) computes it from the socket, or from
 * X-Forwarded-For when the socket's peer is a configured trusted proxy, and passes it on in
 * CLIENT_IP_HEADER, overwriting whatever a client sent in that header. Route handlers read only that.
 * Next's proxy (proxy.ts) then keeps the header only if it carries serve.ts's proof (an HMAC under a key
 * that lives in this process's memory): under a bare `next start`, or for a client that sent the header
 * itself, the header is removed, so nobody can choose the IP the limiters and the audit log see.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";

export const CLIENT_IP_HEADER = "x-osiris-client-ip";
/** HMAC of CLIENT_IP_HEADER's value, set by serve.ts and removed by the proxy once checked. */
export const CLIENT_IP_PROOF_HEADER = "x-osiris-client-ip-proof";
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

// BlockList.check builds a SocketAddress per call (measurable on the check-in path, which asks for every
// request): verdicts are remembered per list and address, a few thousand at most.
const verdicts = new WeakMap<BlockList, Map<string, boolean>>();

function isTrusted(list: BlockList, ip: string): boolean {
  let known = verdicts.get(list);
  if (!known) {
    known = new Map();
    verdicts.set(list, known);
  }
  let verdict = known.get(ip);
  if (verdict === undefined) {
    verdict = list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
    if (known.size >= 4096) known.clear();
    known.set(ip, verdict);
  }
  return verdict;
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

export function isTrustedProxy(socketAddress: string | undefined, trusted: BlockList): boolean {
  return socketAddress ? isTrusted(trusted, normalise(socketAddress)) : false;
}

// On globalThis: serve.ts and the proxy bundle are separate module instances in one process.
const PROOF_KEY = Symbol.for("osiris.client-ip-proof-key");
type ProofGlobal = typeof globalThis & { [PROOF_KEY]?: Buffer };

/** Called once by scripts/serve.ts: from then on the proxy believes client IPs this process vouches for. */
export function enableClientIpProof(): void {
  (globalThis as ProofGlobal)[PROOF_KEY] ??= randomBytes(32);
}

function mac(key: Buffer, ip: string): Buffer {
  return createHmac("sha256", key).update(ip).digest();
}

/** The proof serve.ts attaches to the IP it computed; null when no key was enabled in this process. */
export function proveClientIp(ip: string): string | null {
  const key = (globalThis as ProofGlobal)[PROOF_KEY];
  return key ? mac(key, ip).toString("base64url") : null;
}

/** The IP serve.ts vouched for, or null (bare `next start`, no proof, or a proof that does not match). */
export function verifiedClientIp(ip: string | null, proof: string | null): string | null {
  const key = (globalThis as ProofGlobal)[PROOF_KEY];
  if (!key || !ip || !proof) return null;
  const expected = mac(key, ip);
  const given = Buffer.from(proof, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected) ? ip : null;
}
