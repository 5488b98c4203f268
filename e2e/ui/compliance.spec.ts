/**
 * The partner's compliance view in Chromium against the production build and the real worker: results are
 * posted as the appliance posts them (its key, POST /api/appliances/scan-results) for three Windows targets
 * (credentials with a host). Signed in once: the "no scan yet" state, the matrix filling without a reload,
 * citations from the controls table, failing only (URL state), a cell's details (focus in and back), a
 * second batch turning a firewall off (the cell, the drift timeline and the alert), CSV export with the
 * current filters, an error with Retry, the dashboard's card with the worst offender; axe and screenshots at
 * 1366 and 390 px, no sideways scroll on a phone.
 */
import { readFile } from "node:fs/promises";
import { type APIRequestContext, expect as baseExpect, type Locator, type Page, test } from "@playwright/test";
import { COMPLIANCE_CONTROLS, type ScanResult } from "../../server/contracts";
import { expectAccessible } from "../axe";
import { claimSite } from "../directory";
import { fixtures } from "../fixtures";

const expect = baseExpect.configure({ timeout: 20_000 });

const HOSTS = ["fs01.clinic.e2e", "srv02.clinic.e2e", "srv03.clinic.e2e"];
type Site = Awaited<ReturnType<typeof claimSite>>;

async function arrange(request: APIRequestContext) {
  const token = fixtures().nepa.token;
  const a = await claimSite(request, token, "Compliance clinic");
  for (const host of HOSTS) {
    const res = await request.post(`/api/partners/me/sites/${a.site_id}/credentials`, {
      headers: { authorization: `Bearer ${token}` },
      data: {
        credential_type: "winrm",
        credential_name: host.split(".")[0],
        host,
        username: "svc",
        password: "E2e-Compliance-1!",
      },
    });
    expect(res.status()).toBe(201);
  }
  return a;
}

/** One batch as the appliance sends it: every control of every host passes unless `overrides` says otherwise. */
async function postBatch(
  request: APIRequestContext,
  a: Site,
  batch: string,
  overrides: Record<string, Partial<Record<ScanResult["check"], ScanResult["status"]>>>,
) {
  const results = HOSTS.flatMap((hostname) =>
    COMPLIANCE_CONTROLS.map(({ check }): ScanResult => {
      const status = overrides[hostname]?.[check] ?? "pass";
      return {
        hostname,
        check,
        status,
        observed: status === "pass" ? "on" : status === "fail" ? "off" : "unreadable",
        expected: "on",
        checked_at: new Date().toISOString(),
        ...(status === "error" ? { error: "The BitLocker cmdlets are not installed (Server Core)." } : {}),
      };
    }),
  );
  const res = await request.post("/api/appliances/scan-results", {
    headers: a.auth,
    data: { appliance_id: a.appliance_id, batch_id: batch, results },
  });
  expect(res.status(), await res.text()).toBe(200);
}

async function signIn(page: Page, next: string) {
  await page.goto(next);
  await page.getByLabel("Email").fill(fixtures().nepa.email);
  await page.getByLabel("Password").fill(fixtures().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The page at 390 px: no sideways scroll, axe clean; the whole page and `part` alone as screenshots. */
async function phone(page: Page, what: string, screen: string, part: Locator) {
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, `${what} on a phone`);
  await page.screenshot({ path: `test-results/screens/${screen}-phone.png`, fullPage: true });
  await part.screenshot({ path: `test-results/screens/${screen}-card-phone.png` });
  await page.setViewportSize({ width: 1366, height: 900 });
}

const cell = (page: Page, host: string, check: string) =>
  page.locator(
    `[data-testid="compliance-row"][data-host="${host}"] [data-testid="compliance-cell"][data-check="${check}"]`,
  );

test("compliance: the matrix fills live, filters in the URL, details, drift and alert, CSV, dashboard", async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const a = await arrange(request);
  const sitePath = `/sites/${encodeURIComponent(a.site_id)}`;
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, `${sitePath}#compliance`);
  const section = page.locator("#compliance");

  // No results yet: the "no scan yet" state with Scan now (not "no host matches").
  await expect(section.getByTestId("compliance-empty")).toContainText("No scan yet");
  await expect(section.getByRole("button", { name: "Scan now" })).toBeVisible();
  await expect(section.getByTestId("drift-empty")).toBeVisible();
  await expectAccessible(page, "compliance before the first scan");
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/compliance-empty-desktop.png" });

  // The first batch arrives: the matrix fills without a reload.
  await postBatch(request, a, "e2e-first", {
    "srv02.clinic.e2e": { patches: "fail", defender: "fail", bitlocker: "error" },
    "fs01.clinic.e2e": { screenlock: "unknown" },
  });
  await expect(section.getByTestId("compliance-row")).toHaveCount(3);
  await expect(section.getByTestId("compliance-summary")).toContainText("14 of 18 controls passing on 3 hosts");
  // Headers in table order, each with its citation from the controls table.
  const headers = section.getByTestId("control-header");
  await expect(headers).toHaveCount(COMPLIANCE_CONTROLS.length);
  for (const [i, c] of COMPLIANCE_CONTROLS.entries()) {
    await expect(headers.nth(i)).toContainText(c.name);
    await expect(headers.nth(i)).toContainText(c.hipaa_control);
  }
  // Status in words as well as colour; the cell is named by its row.
  await expect(cell(page, "srv02.clinic.e2e", "patches")).toHaveText(/Fail/);
  await expect(cell(page, "srv02.clinic.e2e", "patches")).toHaveAccessibleName(/srv02\.clinic\.e2e Patches: Fail/);
  await expect(cell(page, "fs01.clinic.e2e", "screenlock")).toHaveText(/Unknown/);
  await expectAccessible(page, "the compliance matrix");

  // Failing only: the server filters, the state is in the URL.
  await section.getByLabel("Status", { exact: true }).selectOption("fail");
  await expect(page).toHaveURL(/[?&]cstatus=fail/);
  await expect(section.getByTestId("compliance-row")).toHaveCount(1);
  await expect(section.getByTestId("compliance-row")).toHaveAttribute("data-host", "srv02.clinic.e2e");

  // A cell's details: observed, expected, the error; focus moves in, and back to the cell on Close.
  await cell(page, "srv02.clinic.e2e", "bitlocker").click();
  const details = section.getByTestId("compliance-details");
  await expect(details.getByRole("heading")).toBeFocused();
  await expect(details).toContainText("srv02.clinic.e2e · BitLocker");
  await expect(details.getByTestId("details-observed")).toHaveText("unreadable");
  await expect(details.getByTestId("details-error")).toContainText("not installed");
  await expectAccessible(page, "a cell's details");
  await page.screenshot({ path: "test-results/screens/compliance-details-desktop.png", fullPage: true });
  await details.getByRole("button", { name: /Close/ }).click();
  await expect(details).toHaveCount(0);
  await expect(cell(page, "srv02.clinic.e2e", "bitlocker")).toBeFocused();

  // CSV of the filtered matrix: the failing host's six lines only, citations from the table.
  const [download] = await Promise.all([page.waitForEvent("download"), section.getByTestId("compliance-csv").click()]);
  const csv = (await readFile((await download.path()) as string, "utf8")).trimEnd().split("\r\n");
  expect(csv[0]).toBe(
    '"host","kind","control","citation","status","observed","expected","checked_at","changed_at","error"',
  );
  expect(csv.slice(1)).toHaveLength(6);
  expect(csv.slice(1).every((l) => l.startsWith('"srv02.clinic.e2e","server",'))).toBe(true);
  expect(csv).toContainEqual(
    expect.stringMatching(/^"srv02\.clinic\.e2e","server","Patches","164\.308\(a\)\(1\)\(ii\)\(B\)","fail",/),
  );

  // No host matches: distinct from "no scan yet".
  await section.getByRole("searchbox", { name: "Search hosts" }).fill("nothing-like-this");
  await expect(section.getByTestId("compliance-no-match")).toBeVisible();
  await expect(section.getByTestId("compliance-empty")).toHaveCount(0);
  await section.getByRole("button", { name: "Clear filters" }).click();
  await expect(section.getByTestId("compliance-row")).toHaveCount(3);
  await expect(page).not.toHaveURL(/cstatus=/);

  // The second batch turns fs01's firewall off: the cell, the timeline, without a reload.
  await postBatch(request, a, "e2e-second", {
    "srv02.clinic.e2e": { patches: "fail", defender: "fail", bitlocker: "error" },
    "fs01.clinic.e2e": { screenlock: "unknown", firewall: "fail" },
  });
  await expect(cell(page, "fs01.clinic.e2e", "firewall")).toHaveAttribute("data-status", "fail");
  await expect(section.getByTestId("compliance-summary")).toContainText("13 of 18 controls passing");
  await expect(section.getByTestId("drift-event").first()).toContainText("fs01.clinic.e2e Firewall pass → fail");
  await expect(section.getByTestId("compliance-updated")).toContainText("Updated");
  await page.mouse.move(0, 0);
  await page.screenshot({ path: "test-results/screens/compliance-desktop.png", fullPage: true });
  await section.screenshot({ path: "test-results/screens/compliance-card-desktop.png" });

  // Sort by most failing: srv02 (2 failing) first.
  await section.getByRole("button", { name: "Failing", exact: true }).click();
  await expect(page).toHaveURL(/[?&]csort=failing/);
  await expect(section.getByTestId("compliance-row").first()).toHaveAttribute("data-host", "srv02.clinic.e2e");
  await phone(page, "the compliance matrix", "compliance", section);

  // An error is not an empty matrix: the reason and a Retry that recovers.
  await page.route("**/api/trpc/**sites.compliance**", (route) =>
    route.fulfill({ status: 500, contentType: "application/json", body: "[]" }),
  );
  await page.reload();
  await expect(section.getByTestId("query-error").first()).toBeVisible({ timeout: 40_000 });
  await expect(section.getByTestId("compliance-empty")).toHaveCount(0);
  await expectAccessible(page, "compliance failing to load");
  await page.unroute("**/api/trpc/**sites.compliance**");
  await section.getByRole("button", { name: "Retry" }).first().click();
  await expect(section.getByTestId("compliance-row")).toHaveCount(3);

  // The dashboard: the site's compliance, the worst offender linking to the matrix, and the alert.
  await page.goto("/dashboard");
  const card = page.getByTestId("compliance-card");
  const siteRow = card.getByTestId("dash-compliance-site").filter({ hasText: "Compliance clinic" });
  await expect(siteRow.getByTestId("dash-compliance-site-passing")).toHaveText("13 / 18");
  const offender = card.getByTestId("dash-offender").filter({ hasText: "srv02.clinic.e2e" });
  await expect(offender).toContainText("2 failing: Defender, Patches");
  await expect(offender.getByRole("link")).toHaveAttribute("href", `${sitePath}?cq=srv02.clinic.e2e#compliance`);
  const alert = page
    .getByTestId("notification")
    .filter({ hasText: "Firewall" })
    .filter({ hasText: "Compliance clinic" });
  await expect(alert.first()).toBeVisible({ timeout: 40_000 });
  await expectAccessible(page, "the dashboard with compliance");
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/compliance-dashboard-desktop.png", fullPage: true });
  await phone(page, "the dashboard with compliance", "compliance-dashboard", card);

  // The offender's link opens its site's matrix searched for it.
  await offender.getByRole("link").click();
  await expect(page.locator("#compliance").getByTestId("compliance-row")).toHaveCount(1);
  await expect(page.locator("#compliance").getByRole("searchbox", { name: "Search hosts" })).toHaveValue(
    "srv02.clinic.e2e",
  );
  await context.close();
});
