/**
 * The Active Directory flow over real HTTP, against the production build and the real worker: an appliance
 * claims a code, reports its domain, the partner sees the alert and enters ONE credential, the appliance gets
 * trigger_enumeration and the sealed credential, posts its results (a chunked run and a too-big body), and the
 * worker's merge shows up in targets, coverage, notifications and the next check-in's scan flag.
 */
import { expect, test } from "@playwright/test";
import { unsealSecret } from "../../appliance/src/crypto/sealed-box";
import { claimSite, computer } from "../directory";
import { fixtures } from "../fixtures";

const DOMAIN = "clinic.e2e";
const PASSWORD = "E2e-Domain-Admin!";

test("domain discovered → one credential → enumeration merged by the worker → targets, coverage, scan flag", async ({
  request,
}) => {
  const f = fixtures();
  const partner = { authorization: `Bearer ${f.nepa.token}` };
  const a = await claimSite(request, f.nepa.token);

  const discovered = await request.post("/api/appliances/domain-discovered", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      domain: DOMAIN,
      domain_controllers: [{ hostname: "dc01.clinic.e2e", port: 389, priority: 0, weight: 100 }],
    },
  });
  expect(discovered.status()).toBe(200);
  const feed = async () =>
    (
      (await (await request.get("/api/partners/me/notifications", { headers: partner })).json()) as {
        notifications: Array<{ type: string; site_id: string; message: string }>;
      }
    ).notifications.filter((n) => n.site_id === a.site_id);
  expect((await feed())[0]).toMatchObject({ type: "domain_discovered", message: expect.stringContaining(DOMAIN) });

  const entered = await request.post(`/api/sites/${a.site_id}/domain-credentials`, {
    headers: partner,
    data: { domain: DOMAIN, username: "osiris", password: PASSWORD },
  });
  expect(entered.status()).toBe(201);
  expect(await entered.text()).not.toContain(PASSWORD);
  const credentialId = ((await entered.json()) as { id: string }).id;

  const checkin = async () =>
    (await (
      await request.post("/api/appliances/checkin", { headers: a.auth, data: { appliance_id: a.appliance_id } })
    ).json()) as { trigger_enumeration: boolean; trigger_immediate_scan: boolean; windows_targets: unknown[] };
  await expect.poll(async () => (await checkin()).trigger_enumeration, { timeout: 30_000 }).toBe(true);

  const release = (await (
    await request.get(`/api/sites/${a.site_id}/domain-credentials`, { headers: a.auth })
  ).json()) as { sealed_password: string; username: string };
  const binding = { applianceId: a.appliance_id, credentialId, hostname: DOMAIN, username: release.username };
  expect(unsealSecret(release.sealed_password, a.keys.keyPair.privateKey, binding)).toBe(PASSWORD);

  // A body over this route's 8 MiB is refused before anything else; a run in chunks goes through.
  const huge = Array.from({ length: 40_000 }, (_, i) => computer(`ws${i}.clinic.e2e`, { os: "Windows 11 Pro" }));
  const many = huge.slice(0, 6000);
  const at = new Date().toISOString();
  const base = { appliance_id: a.appliance_id, domain: DOMAIN, enumerated_at: at };
  const tooBig = await request.post("/api/appliances/enumeration-results", {
    headers: a.auth,
    data: { ...base, servers: [], workstations: huge },
  });
  expect(tooBig.status()).toBe(413);
  expect(((await tooBig.json()) as { error: string }).error).toBe("Request body is larger than 8192 KiB.");
  const chunks = [many.slice(0, 3000), many.slice(3000)];
  let jobId = "";
  for (const [i, workstations] of chunks.entries()) {
    const res = await request.post("/api/appliances/enumeration-results", {
      headers: a.auth,
      data: {
        ...base,
        servers:
          i === 0 ? [computer("dc01.clinic.e2e", { is_domain_controller: true }), computer("fs01.clinic.e2e")] : [],
        workstations,
        run_id: `e2e-run-${a.appliance_id.slice(-5).replaceAll(":", "")}`,
        chunk: i,
        last: i === chunks.length - 1,
      },
    });
    expect(res.status()).toBe(202);
    jobId = ((await res.json()) as { job_id: string }).job_id;
  }
  expect(jobId).not.toContain(":");

  await expect
    .poll(async () => (await feed()).map((n) => n.message), { timeout: 60_000 })
    .toContain("Enumeration complete: 2 servers, 6000 workstations");
  const targets = (await (
    await request.get(`/api/partners/me/sites/${a.site_id}/targets`, { headers: partner })
  ).json()) as {
    servers: Array<{ hostname: string; approval: string; provenance: string[] }>;
    workstations: unknown[];
    workstations_page: { page: number; page_size: number; total: number };
  };
  expect(targets.servers.map((s) => [s.hostname, s.approval, s.provenance])).toEqual([
    ["dc01.clinic.e2e", "approved", ["discovered"]],
    ["fs01.clinic.e2e", "approved", ["discovered"]],
  ]);
  // The list is paged by the server (25 a page by default); the total counts every workstation merged.
  expect(targets.workstations).toHaveLength(25);
  expect(targets.workstations_page).toEqual({ page: 1, page_size: 25, total: 6000 });
  const coverage = (await (
    await request.get(`/api/partners/me/sites/${a.site_id}/coverage`, { headers: partner })
  ).json()) as { computers_in_ad: number; coverage_percent: number };
  expect(coverage).toMatchObject({ computers_in_ad: 6002, coverage_percent: 0 });

  await expect.poll(async () => (await checkin()).trigger_immediate_scan, { timeout: 30_000 }).toBe(true);
  expect((await checkin()).windows_targets).toHaveLength(2);
});
