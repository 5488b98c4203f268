/**
 * The partner's Active Directory experience in Chromium, against the production build and the real worker. The
 * appliance's side is played over the REST endpoints it uses (domain-discovered, check-in, enumeration-results,
 * enumeration-failed) with a real appliance key. The partner admin follows the alert to the site, sees the
 * domain and its DCs, enters the one credential (never shown again), sees the merged servers and workstations
 * and the coverage, and approves the servers a later enumeration found; a technician sees it all read-only.
 */
import { type APIRequestContext, type Browser, expect as baseExpect, type Page, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { claimSite, computer } from "../directory";
import { fixtures } from "../fixtures";

// The site page polls every 5 s: what an appliance posts shows within one poll, so wait longer than one.
const expect = baseExpect.configure({ timeout: 15_000 });

const DOMAIN = "clinic.e2e";
const PASSWORD = "Ui-Domain-Admin-2026!";
// Long enough to wrap at 390 px: the page must not scroll sideways.
const CLIENT = "Riverside Family Medicine and Pediatric Associates of Northeastern Pennsylvania";
const DAY = 86_400_000;
// The fingerprint of dc01's certificate, as discovery reports it; dc02 has no certificate (no AD CS).
const DC01_SHA256 = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase()).join(":");
const SIZES = [
  { name: "desktop", width: 1366, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

type Site = Awaited<ReturnType<typeof claimSite>>;

async function signIn(browser: Browser, email: string, next: string, width = 1366): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
  await page.goto(next);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(fixtures().password);
  await page.getByRole("button", { name: "Sign in" }).click();
  return page;
}

async function checkin(request: APIRequestContext, a: Site) {
  const res = await request.post("/api/appliances/checkin", {
    headers: a.auth,
    data: { appliance_id: a.appliance_id },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as { trigger_enumeration: boolean };
}

async function enumerate(request: APIRequestContext, a: Site, servers: unknown[], workstations: unknown[]) {
  const res = await request.post("/api/appliances/enumeration-results", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      domain: DOMAIN,
      enumerated_at: new Date().toISOString(),
      servers,
      workstations,
    },
  });
  expect(res.status()).toBe(202);
}

const ws = (hostname: string, extra: Record<string, unknown> = {}) =>
  computer(hostname, {
    os: "Windows 11 Pro",
    distinguished_name: `CN=${hostname.split(".")[0]},OU=Front Desk,OU=Workstations,DC=clinic,DC=e2e`,
    ...extra,
  });

async function expectNoOverflow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

test("partner admin: domain → one credential → targets and coverage → approve new servers; technician: read-only", async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const f = fixtures();
  const a = await claimSite(request, f.nepa.token, CLIENT);

  // Before the appliance looked: waiting; a failed discovery says what was searched and why.
  const admin = await signIn(browser, f.nepa.email, `/sites/${a.site_id}`);
  await expect(admin.getByTestId("discovery-waiting")).toBeVisible();
  const notFound = await request.post("/api/appliances/domain-discovery-failed", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      searched: ["_ldap._tcp.dc._msdcs.clinic.lan", "_ldap._tcp.clinic.lan"],
      error: "no SRV record answered (ENOTFOUND)",
    },
  });
  expect(notFound.status()).toBe(200);
  // sites.get polls: the page follows without a reload.
  await expect(admin.getByTestId("discovery-failed")).toContainText(
    "No domain found yet: searched _ldap._tcp.dc._msdcs.clinic.lan, _ldap._tcp.clinic.lan — no SRV record answered (ENOTFOUND)",
  );

  const discovered = await request.post("/api/appliances/domain-discovered", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      domain: DOMAIN,
      netbios_name: "CLINIC",
      domain_controllers: [
        {
          hostname: "dc01.clinic.e2e",
          port: 389,
          priority: 0,
          weight: 100,
          certificate: { sha256: DC01_SHA256, subject: "CN=dc01.clinic.e2e", issuer: "CN=Clinic Issuing CA" },
        },
        {
          hostname: "dc02.clinic.e2e",
          port: 389,
          priority: 10,
          weight: 50,
          certificate_problem: "dc02.clinic.e2e offers no TLS: install a DC certificate or AD CS, then retry.",
        },
      ],
    },
  });
  expect(discovered.status()).toBe(200);

  // The alert's call to action opens the site at the credential form.
  await admin.goto("/dashboard");
  await expect(admin).toHaveURL(/\/dashboard$/);
  await admin
    .locator(`a[href="/sites/${encodeURIComponent(a.site_id)}#domain-credential"]`)
    .first()
    .click();
  await expect(admin).toHaveURL(new RegExp(`/sites/${encodeURIComponent(a.site_id)}#domain-credential$`));
  const ad = admin.locator("#domain-credential");
  await expect(ad.getByTestId("discovered-domain")).toContainText(DOMAIN);
  await expect(ad.getByTestId("discovered-domain")).toContainText("NetBIOS CLINIC");
  await expect(ad.getByTestId("domain-controller")).toHaveText([
    "dc01.clinic.e2e:389 priority 0, weight 100",
    "dc02.clinic.e2e:389 priority 10, weight 50",
  ]);
  // Beside the form: each DC's certificate fingerprint, or why it has none.
  const dc01Cert = ad.getByTestId("dc-certificate").filter({ hasText: "dc01.clinic.e2e" });
  await expect(dc01Cert).toContainText(DC01_SHA256);
  await expect(dc01Cert).toContainText("not yet accepted");
  await expect(
    ad.getByTestId("dc-certificate").filter({ hasText: "dc02.clinic.e2e" }).getByTestId("dc-certificate-problem"),
  ).toHaveText("dc02.clinic.e2e offers no TLS: install a DC certificate or AD CS, then retry.");
  await expect(admin.getByTestId("targets-empty")).toBeVisible();
  await expect(admin.getByTestId("coverage-empty")).toBeVisible();
  await expectAccessible(admin, "the site page with a discovered domain");
  await admin.screenshot({ path: "test-results/screens/ad-discovered-desktop.png", fullPage: true });
  await admin.setViewportSize(SIZES[1]);
  await expectNoOverflow(admin, SIZES[1].width);
  await ad.screenshot({ path: "test-results/screens/ad-discovered-phone.png" });
  await admin.setViewportSize(SIZES[0]);

  // One credential; the domain is prefilled from the discovery.
  const form = ad.getByTestId("domain-credential-form");
  await expect(form.getByLabel("Domain", { exact: true })).toHaveValue(DOMAIN);
  await form.getByLabel("Username").fill("osiris-svc");
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Save and enumerate" }).click();
  await expect(ad.getByTestId("enumeration-requested")).toHaveText(
    "Enumeration requested — the appliance runs it at its next check-in.",
  );
  await expect(ad.getByTestId("domain-credential-meta")).toContainText(`${DOMAIN}\\osiris-svc`);
  await expect(ad.getByTestId("domain-credential-meta")).toContainText("never shown");
  await expect(ad.getByTestId("domain-credential-form")).toHaveCount(0);
  // Saving accepted the fingerprint shown beside the form.
  await expect(dc01Cert).toContainText("trusted");
  expect(await admin.content()).not.toContain(PASSWORD);
  // Replacing it starts from an empty password: the stored one never comes back to the browser.
  await ad.getByRole("button", { name: "Replace credential" }).click();
  await expect(form.getByLabel("Password")).toHaveValue("");
  await expect(form.getByLabel("Username")).toHaveValue("osiris-svc");
  await form.getByRole("button", { name: "Cancel" }).click();

  // The appliance gets the flag and enumerates; the worker merges.
  await expect.poll(async () => (await checkin(request, a)).trigger_enumeration, { timeout: 30_000 }).toBe(true);
  const longWs = `reception-${"frontdesk".repeat(6)}.clinic.e2e`;
  await enumerate(
    request,
    a,
    [
      computer("dc01.clinic.e2e", { is_domain_controller: true, winrm_reachable: true }),
      computer("fs01.clinic.e2e", { winrm_reachable: false }),
    ],
    [
      ws("ws01.clinic.e2e"),
      ws("ws02.clinic.e2e", { enabled: false }),
      ws("ws03.clinic.e2e", { last_logon: new Date(Date.now() - 90 * DAY).toISOString() }),
      ws(longWs),
    ],
  );
  await expect(ad.getByTestId("enumeration-status")).toHaveText("Merged", { timeout: 60_000 });
  await expect(ad.getByTestId("enumeration-counts")).toHaveText("2 servers, 4 workstations");
  await expect(ad.getByTestId("enumeration-requested")).toHaveCount(0);

  const targets = admin.locator("#targets");
  await expect(targets.getByTestId("server-row")).toHaveCount(2);
  const dc01 = targets.getByTestId("server-row").filter({ hasText: "dc01.clinic.e2e" });
  await expect(dc01).toContainText("Domain controller");
  await expect(dc01).toContainText("reachable :5985");
  await expect(dc01.getByTestId("provenance")).toHaveText("AD");
  await expect(dc01.getByTestId("approval")).toHaveText("Approved");
  await expect(targets.getByTestId("server-row").filter({ hasText: "fs01.clinic.e2e" })).toContainText("no answer");
  await expect(targets.getByTestId("workstation-row")).toHaveCount(4);
  await expect(targets.getByTestId("workstation-row").filter({ hasText: "ws02" })).toContainText("Disabled");
  await expect(targets.getByTestId("workstation-row").filter({ hasText: "ws03" })).toContainText("Stale");
  await expect(targets.getByTestId("agent-status").first()).toHaveText("Agent pending");
  await targets.getByRole("searchbox", { name: "Search computers" }).fill("front desk");
  await expect(targets.getByTestId("workstation-row")).toHaveCount(4);
  await expect(targets.getByTestId("server-row")).toHaveCount(0);
  await targets.getByRole("searchbox", { name: "Search computers" }).fill("");

  await expect(admin.getByTestId("coverage-in-ad")).toHaveText("6");
  await expect(admin.getByTestId("coverage-percent")).toHaveText("0 %");
  await expect(admin.getByTestId("coverage-agents")).toHaveText("0");
  await admin.getByTestId("coverage-disabled").locator("summary").click();
  await expect(admin.getByTestId("coverage-disabled")).toContainText("ws02.clinic.e2e");
  await expect(admin.getByTestId("coverage-stale").locator("summary")).toContainText("(1)");

  // A later enumeration: two new servers wait for approval, fs01 is gone from AD.
  await enumerate(
    request,
    a,
    [
      computer("dc01.clinic.e2e", { is_domain_controller: true, winrm_reachable: true }),
      computer("app02.clinic.e2e", { winrm_reachable: true }),
      computer("app03.clinic.e2e"),
    ],
    [ws("ws01.clinic.e2e"), ws("ws02.clinic.e2e", { enabled: false }), ws(longWs)],
  );
  await expect(targets.getByTestId("awaiting-count")).toHaveText("2 awaiting approval", { timeout: 60_000 });
  await expect(
    targets.getByTestId("server-row").filter({ hasText: "fs01.clinic.e2e" }).getByTestId("not-seen"),
  ).toContainText("not seen since");
  await expect(admin.getByTestId("coverage-not-seen").locator("summary")).toContainText("(2)");
  await expect(admin.getByTestId("coverage-stale").locator("summary")).toContainText("(0)");
  await expectAccessible(admin, "the site page with targets awaiting approval");
  for (const size of SIZES) {
    await admin.setViewportSize(size);
    await expectNoOverflow(admin, size.width);
    await admin.screenshot({ path: `test-results/screens/ad-site-admin-${size.name}.png`, fullPage: true });
  }
  await admin.setViewportSize(SIZES[0]);

  const app02 = targets.getByTestId("server-row").filter({ hasText: "app02.clinic.e2e" });
  await expect(app02.getByTestId("approval")).toHaveText("Awaiting approval");
  await app02.getByRole("button", { name: "Approve app02.clinic.e2e" }).click();
  await expect(app02.getByTestId("approval")).toHaveText("Approved");
  admin.once("dialog", (d) => void d.accept());
  await targets.getByRole("button", { name: "Approve all (1)" }).click();
  await expect(
    targets.getByTestId("server-row").filter({ hasText: "app03.clinic.e2e" }).getByTestId("approval"),
  ).toHaveText("Approved");
  await expect(targets.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
  await expect(targets.getByTestId("awaiting-count")).toHaveCount(0);

  // A failed enumeration reaches the page in the appliance's words.
  const failed = await request.post("/api/appliances/enumeration-failed", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      domain: DOMAIN,
      code: "invalid_credentials",
      error:
        "dc01.clinic.e2e rejected the password for osiris-svc (LDAP 49, data 52e): enter the domain credential again.",
    },
  });
  expect(failed.status()).toBe(200);
  await expect(ad.getByTestId("enumeration-status")).toHaveText("Failed", { timeout: 15_000 });
  await expect(ad.getByTestId("enumeration-error")).toContainText(
    "dc01.clinic.e2e rejected the password for osiris-svc (LDAP 49, data 52e): enter the domain credential again.",
  );
  await expect(ad.getByTestId("enumeration-error")).toContainText("(invalid_credentials)");
  await admin.context().close();

  // The technician sees everything, changes nothing; the server refuses regardless.
  // The technician's first load of coverage fails (the request is cut): an error with its reason and a Retry,
  // never the "no computers" empty state; Retry loads it.
  const tech = await signIn(browser, f.nepa.techEmail, `/sites/${a.site_id}`, 390);
  await tech.route(/sites\.coverage/, (route) => route.abort("connectionreset"));
  await expect(tech.getByRole("heading", { name: CLIENT })).toBeVisible();
  const coverage = tech.locator("section", { has: tech.getByRole("heading", { name: "AD coverage" }) });
  await expect(coverage.getByTestId("query-error")).toContainText("Could not load coverage", { timeout: 20_000 });
  await expect(coverage.getByTestId("coverage-empty")).toHaveCount(0);
  await tech.screenshot({ path: "test-results/screens/ad-site-error-phone.png", fullPage: true });
  await tech.unroute(/sites\.coverage/);
  // The same batched request carried the credential and the targets: retry each section that failed.
  const retries = tech.getByRole("button", { name: "Retry" });
  for (let n = await retries.count(); n > 0; n = await retries.count()) {
    await retries.first().click();
    await expect(retries).toHaveCount(n - 1);
  }
  await expect(coverage.getByTestId("coverage-in-ad")).toHaveText("6");
  await expect(tech.getByTestId("domain-credential-meta")).toContainText(`${DOMAIN}\\osiris-svc`);
  await expect(tech.getByTestId("domain-credential-form")).toHaveCount(0);
  await expect(tech.getByRole("button", { name: "Replace credential" })).toHaveCount(0);
  await expect(tech.getByTestId("server-row")).toHaveCount(4);
  await expect(tech.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
  await expect(tech.getByTestId("enumeration-error")).toBeVisible();
  await expect(tech.getByTestId("enumeration")).toContainText("A partner admin can enter the domain credential again");
  expect(await tech.content()).not.toContain(PASSWORD);
  await expectAccessible(tech, "the site page as a technician");
  await expectNoOverflow(tech, 390);
  await tech.screenshot({ path: "test-results/screens/ad-site-technician-phone.png", fullPage: true });
  const refused = await tech.request.post("/api/trpc/sites.setDomainCredential", {
    data: { siteId: a.site_id, credential: { domain: DOMAIN, username: "x", password: "y" } },
  });
  expect(refused.status()).toBe(403);
  await tech.context().close();
});
