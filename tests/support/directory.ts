/** Helpers for the Active Directory tests: calling the new routes, fixture computers, running outbox work. */
import type { Job } from "bullmq";
import * as discoveredRoute from "@/app/api/appliances/domain-discovered/route";
import * as enumerationRoute from "@/app/api/appliances/enumeration-results/route";
import * as targetsRoute from "@/app/api/partners/me/sites/[siteId]/targets/route";
import * as domainCredsRoute from "@/app/api/sites/[siteId]/domain-credentials/route";
import { type DirectoryComputer, SiteTargets } from "@/server/contracts";
import { db } from "@/server/db";
import { runOutboxJob } from "@/server/jobs/outbox/run-outbox-job";
import { outboxHandlers } from "@/workers/processors";
import { callRoute } from "./factories";

type Handler = Parameters<typeof callRoute>[0];

export async function call(
  handler: Handler,
  opts: {
    method?: string;
    auth?: string;
    body?: unknown;
    rawBody?: string;
    params?: Record<string, string>;
    headers?: Record<string, string>;
    query?: string;
  } = {},
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  if (opts.auth) headers.authorization = `Bearer ${opts.auth}`;
  const res = await callRoute(
    handler,
    new Request(`http://x/${opts.query ? `?${opts.query}` : ""}`, {
      method: opts.method ?? "POST",
      headers,
      body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    }),
    opts.params ?? {},
  );
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, text, json };
}

export function computer(hostname: string, extra: Partial<DirectoryComputer> = {}): DirectoryComputer {
  return {
    hostname,
    name: hostname.split(".")[0]?.toUpperCase() ?? hostname,
    os: "Windows Server 2022 Standard",
    os_version: "10.0 (20348)",
    distinguished_name: `CN=${hostname.split(".")[0]?.toUpperCase()},OU=Servers,DC=clinic,DC=test`,
    enabled: true,
    last_logon: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    ...extra,
  };
}

export function workstation(hostname: string, extra: Partial<DirectoryComputer> = {}): DirectoryComputer {
  return computer(hostname, {
    os: "Windows 11 Pro",
    distinguished_name: `CN=${hostname.split(".")[0]?.toUpperCase()},OU=Front Desk,OU=Workstations,DC=clinic,DC=test`,
    ...extra,
  });
}

export function postDiscovered(apiKey: string, body: unknown) {
  return call(discoveredRoute.POST, { auth: apiKey, body });
}

export function postResults(apiKey: string, body: unknown) {
  return call(enumerationRoute.POST, { auth: apiKey, body });
}

export function postDomainCredential(auth: string, siteId: string, body: unknown, headers?: Record<string, string>) {
  return call(domainCredsRoute.POST, { auth, body, params: { siteId }, headers });
}

export function getDomainCredential(auth: string | undefined, siteId: string, headers?: Record<string, string>) {
  return call(domainCredsRoute.GET, { method: "GET", auth, params: { siteId }, headers });
}

/**
 * Every server and workstation of the site, through the REST targets endpoint a page (of 100) at a time, as
 * a client reading a whole site would. Also returns the raw texts (to check no password is in any).
 */
export async function allTargets(auth: string, siteId: string) {
  const servers: SiteTargets["servers"] = [];
  const workstations: SiteTargets["workstations"] = [];
  const texts: string[] = [];
  for (const kind of ["server", "workstation"] as const) {
    for (let page = 1; ; page++) {
      const res = await call(targetsRoute.GET, {
        method: "GET",
        auth,
        params: { siteId },
        query: `kind=${kind}&page=${page}&page_size=100`,
      });
      if (res.status !== 200) throw new Error(`targets page ${page}: ${res.status} ${res.text}`);
      texts.push(res.text);
      const body = SiteTargets.parse(res.json);
      const rows = kind === "server" ? body.servers : body.workstations;
      if (kind === "server") servers.push(...body.servers);
      else workstations.push(...body.workstations);
      const info = kind === "server" ? body.servers_page : body.workstations_page;
      if (rows.length === 0 || page * 100 >= (info?.total ?? 0)) break;
    }
  }
  return { servers, workstations, texts };
}

/**
 * Runs the open outbox rows of this site (and of its enumeration runs) through the real processors, as the
 * worker does, until none is left: a merge adds its own follow-up row. Returns what the handlers returned.
 */
export async function drainSite(siteId: string): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let round = 0; round < 10; round++) {
    const runs = (await db().enumerationRun.findMany({ where: { siteId }, select: { id: true } })).map((r) => r.id);
    const rows = await db().outboxEntry.findMany({
      where: {
        completedAt: null,
        failedAt: null,
        OR: [
          { payload: { path: ["siteId"], equals: siteId } },
          ...runs.map((runId) => ({ payload: { path: ["runId"], equals: runId } })),
        ],
      },
      orderBy: { id: "asc" },
    });
    if (rows.length === 0) return results;
    for (const row of rows) results.push((await runOutboxJob(db(), jobFor(row), outboxHandlers)).result);
  }
  throw new Error("outbox did not drain");
}

/** The job the relay makes for an outbox row. */
export function jobFor(row: { id: bigint; kind: string; createdAt: Date }): Job {
  return { name: row.kind, data: { outboxId: String(row.id), createdMs: String(row.createdAt.getTime()) } } as Job;
}
