/**
 * An enumeration result as the posts of POST /api/appliances/enumeration-results: only the fields the
 * contract declares (the library's `stale` and anything else stay on the appliance), computers the contract
 * would refuse left out (and counted), and more than one post when the run is bigger than one post may be:
 * at most MAX_COMPUTERS_PER_POST computers and about 7 MiB of JSON each (the route takes 8 MiB), then the
 * posts are chunks of one run (the same random run_id, chunk from 0, last on the final one).
 */
import { randomBytes } from "node:crypto";
import {
  DirectoryComputer,
  type EnumeratedDcCertificate,
  type EnumerationResultsRequest,
  MAX_COMPUTERS_PER_POST,
} from "../../../server/contracts";
import type { EnumeratedComputer } from "../directory/enumeration/classify-computer";

/** JSON bytes of computers per post, at most (the route's limit is 8 MiB; the rest of the body is small). */
export const MAX_POST_COMPUTER_BYTES = 7 * 1024 * 1024;

type WireComputer = DirectoryComputer;

/** The contract's fields of one computer, or null when the contract refuses it (e.g. a host name it does not take). */
export function wireComputer(c: EnumeratedComputer): WireComputer | null {
  const wire: WireComputer = {
    hostname: c.hostname,
    name: c.name,
    os: c.os,
    os_version: c.os_version,
    distinguished_name: c.distinguished_name,
    enabled: c.enabled,
    last_logon: c.last_logon,
    is_domain_controller: c.is_domain_controller,
    ...(c.winrm_reachable !== undefined ? { winrm_reachable: c.winrm_reachable } : {}),
  };
  return DirectoryComputer.safeParse(wire).success ? wire : null;
}

export interface EnumerationPosts {
  posts: EnumerationResultsRequest[];
  /** Computers left out because the contract refuses them, by host name. */
  refused: string[];
}

export interface EnumerationPostsInput {
  applianceId: string;
  domain: string;
  servers: EnumeratedComputer[];
  workstations: EnumeratedComputer[];
  enumeratedAt: string;
  partial: boolean;
  /** The certificate of the DC the run read (sent on every post of the run). */
  dcCertificate?: EnumeratedDcCertificate;
  /** Overridable for tests. */
  maxComputers?: number;
  maxBytes?: number;
  runId?: () => string;
}

export function enumerationPosts(input: EnumerationPostsInput): EnumerationPosts {
  const maxComputers = Math.min(input.maxComputers ?? MAX_COMPUTERS_PER_POST, MAX_COMPUTERS_PER_POST);
  const maxBytes = input.maxBytes ?? MAX_POST_COMPUTER_BYTES;
  const refused: string[] = [];
  const groups: { servers: WireComputer[]; workstations: WireComputer[] }[] = [{ servers: [], workstations: [] }];
  let count = 0;
  let bytes = 0;
  const add = (kind: "servers" | "workstations", c: EnumeratedComputer) => {
    const wire = wireComputer(c);
    if (!wire) {
      refused.push(c.hostname);
      return;
    }
    const size = JSON.stringify(wire).length + 1;
    if (count > 0 && (count + 1 > maxComputers || bytes + size > maxBytes)) {
      groups.push({ servers: [], workstations: [] });
      count = 0;
      bytes = 0;
    }
    groups[groups.length - 1]?.[kind].push(wire);
    count += 1;
    bytes += size;
  };
  for (const c of input.servers) add("servers", c);
  for (const c of input.workstations) add("workstations", c);

  const base = {
    appliance_id: input.applianceId,
    domain: input.domain,
    enumerated_at: input.enumeratedAt,
    partial: input.partial,
    ...(input.dcCertificate ? { dc_certificate: input.dcCertificate } : {}),
  };
  const [only] = groups;
  if (groups.length === 1 && only) return { posts: [{ ...base, ...only }], refused };
  const runId = (input.runId ?? (() => randomBytes(18).toString("base64url")))();
  const posts = groups.map((g, chunk) => ({
    ...base,
    ...g,
    run_id: runId,
    chunk,
    ...(chunk === groups.length - 1 ? { last: true } : {}),
  }));
  return { posts, refused };
}
