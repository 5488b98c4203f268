/**
 * The site's servers and workstations as a technician works through a big list, in Chromium against the
 * production build and the real worker: 30 servers and 60 workstations merged from an enumeration posted as the
 * appliance posts it. Search (debounced, done by the server), the status filter, sortable headers (aria-sort),
 * a pager of 25, the state in the URL (a shared link opens the same view, Back and reload keep it), an error
 * with Retry, axe at 1366 and 390 px, no sideways scroll on a phone; and the dashboard's AD coverage card.
 */
import { type APIRequestContext, expect as baseExpect, type Page, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { claimSite, computer } from "../directory";
import { fixtures } from "../fixtures";

const expect = baseExpect.configure({ timeout: 15_000 });

const DOMAIN = "clinic.e2e";
const DAY = 86_400_000;
const n2 = (i: number) => String(i).padStart(2, "0");

const servers = Array.from({ length: 30 }, (_, i) =>
  computer(`srv${n2(i + 1)}.${DOMAIN}`, { os: `Windows Server ${i < 15 ? 2019 : 2022} Standard` }),
);
const workstations = Array.from({ length: 60 }, (_, i) =>
  computer(`ws${n2(i + 1)}.${DOMAIN}`, {
    os: i % 2 ? "Windows 11 Pro" : "Windows 10 Pro",
    distinguished_name: `CN=WS${n2(i + 1)},OU=${i < 20 ? "Front Desk" : "Exam Rooms"},OU=Workstations,DC=clinic,DC=e2e`,
    enabled: i !== 4, // ws05 disabled
    last_logon: new Date(Date.now() - (i === 6 ? 90 : 1) * DAY).toISOString(), // ws07 stale
  }),
);

async function arrange(request: APIRequestContext) {
  const f = fixtures();
  const auth = { authorization: `Bearer ${f.nepa.token}` };
  const a = await claimSite(request, f.nepa.token, "Targets clinic");
  const cred = await request.post(`/api/sites/${a.site_id}/domain-credentials`, {
    headers: auth,
    data: { domain: DOMAIN, username: "osiris-svc", password: "E2e-Targets-Domain-1!" },
  });
  expect(cred.status()).toBe(201);
  await expect
    .poll(
      async () => {
        const res = await request.post("/api/appliances/checkin", {
          headers: a.auth,
          data: { appliance_id: a.appliance_id },
        });
        return ((await res.json()) as { trigger_enumeration?: boolean }).trigger_enumeration;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
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
  // The worker merges: the REST list (paged by the server, 25 by default) reports every computer.
  await expect
    .poll(
      async () => {
        const t = await request.get(`/api/partners/me/sites/${a.site_id}/targets`, { headers: auth });
        const body = (await t.json()) as { workstations_page?: { total: number } };
        return body.workstations_page?.total;
      },
      { timeout: 60_000 },
    )
    .toBe(60);
  return a;
}

async function signIn(page: Page, next: string) {
  await page.goto(next);
  await page.getByLabel("Email").fill(fixtures().nepa.email);
  await page.getByLabel("Password").fill(fixtures().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const rows = (page: Page, kind: "server" | "workstation") => page.locator("#targets").getByTestId(`${kind}-row`);
const firstHost = (page: Page, kind: "server" | "workstation") => rows(page, kind).first().locator("p").first();

test("targets: server-side search, filter, sort and paging with the state in the URL; dashboard coverage", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const a = await arrange(request);
  const sitePath = `/sites/${encodeURIComponent(a.site_id)}`;
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, sitePath);
  const targets = page.locator("#targets");

  // First page of each list, 25 rows, sorted by name; the totals are the server's.
  await expect(rows(page, "server")).toHaveCount(25);
  await expect(rows(page, "workstation")).toHaveCount(25);
  await expect(targets.getByRole("navigation", { name: "Servers pages" }).getByTestId("pager-range")).toHaveText(
    "1–25 of 30",
  );
  const wsPager = targets.getByRole("navigation", { name: "Workstations pages" });
  await expect(wsPager.getByTestId("pager-range")).toHaveText("1–25 of 60");
  await expect(firstHost(page, "workstation")).toHaveText(`ws01.${DOMAIN}`);
  const wsTable = targets.getByTestId("workstation-table");
  await expect(wsTable.getByRole("columnheader", { name: "Workstation" })).toHaveAttribute("aria-sort", "ascending");
  await expectAccessible(page, "the targets lists");
  await page.screenshot({ path: "test-results/screens/targets-desktop.png", fullPage: true });

  // Paging: the next page, in the URL.
  await wsPager.getByRole("button", { name: "Next" }).click();
  await expect(wsPager.getByTestId("pager-range")).toHaveText("26–50 of 60");
  await expect(firstHost(page, "workstation")).toHaveText(`ws26.${DOMAIN}`);
  await expect(page).toHaveURL(/[?&]wpage=2(&|$)/);

  // Sorting by a header: descending on the second click, back on page 1.
  await wsTable.getByRole("button", { name: "Workstation" }).click();
  await expect(wsTable.getByRole("columnheader", { name: "Workstation" })).toHaveAttribute("aria-sort", "descending");
  await expect(firstHost(page, "workstation")).toHaveText(`ws60.${DOMAIN}`);
  await expect(page).not.toHaveURL(/wpage=/);
  await wsTable.getByRole("button", { name: "Status" }).click();
  await expect(wsTable.getByRole("columnheader", { name: "Status" })).toHaveAttribute("aria-sort", "ascending");
  await expect(wsTable.getByRole("columnheader", { name: "Workstation" })).toHaveAttribute("aria-sort", "none");
  await expect(firstHost(page, "workstation")).toHaveText(`ws05.${DOMAIN}`); // disabled first, then stale
  await expect(rows(page, "workstation").nth(1)).toContainText(`ws07.${DOMAIN}`);

  // Search: typed, debounced, answered by the server (the OU matches too); both lists, page 1.
  const box = targets.getByRole("searchbox", { name: "Search computers" });
  await box.fill("exam rooms");
  await expect(page).toHaveURL(/[?&]q=exam\+rooms/);
  await expect(wsPager.getByTestId("pager-range")).toHaveText("1–25 of 40");
  await expect(targets.getByText("No server matches.")).toBeVisible();
  await box.fill("ws1");
  await expect(rows(page, "workstation")).toHaveCount(10); // ws10–ws19
  await expect(targets.getByTestId("workstations-total")).toHaveText("(10)");

  // Filter by status, combined with the search.
  await box.fill("");
  await targets.getByLabel("Status", { exact: true }).selectOption("stale");
  await expect(rows(page, "workstation")).toHaveCount(1);
  await expect(rows(page, "workstation").first()).toContainText(`ws07.${DOMAIN}`);
  await expect(page).toHaveURL(/[?&]status=stale/);

  // A shared link opens the same view; reload keeps it.
  const shared = `${sitePath}?q=ws0&wsort=hostname&worder=desc`;
  const other = await context.newPage();
  await other.goto(shared);
  await expect(rows(other, "workstation")).toHaveCount(9); // ws01–ws09
  await expect(firstHost(other, "workstation")).toHaveText(`ws09.${DOMAIN}`);
  await expect(other.locator("#targets").getByRole("searchbox", { name: "Search computers" })).toHaveValue("ws0");
  await expect(other.locator("#targets").getByText("No server matches.")).toBeVisible();
  await other.reload();
  await expect(firstHost(other, "workstation")).toHaveText(`ws09.${DOMAIN}`);
  // Servers by OS, newest first (ties by name).
  await other.goto(`${sitePath}?ssort=os&sorder=desc`);
  await expect(
    other.locator("#targets").getByTestId("server-table").getByRole("columnheader", { name: "OS" }),
  ).toHaveAttribute("aria-sort", "descending");
  await expect(firstHost(other, "server")).toHaveText(`srv16.${DOMAIN}`);
  await other.goBack();
  await expect(firstHost(other, "workstation")).toHaveText(`ws09.${DOMAIN}`);
  await other.close();

  // The phone: no sideways scroll, the sort menu instead of the headers, axe clean.
  await page.goto(`${sitePath}?wpage=2`);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(firstHost(page, "workstation")).toHaveText(`ws26.${DOMAIN}`);
  await targets.getByLabel("Sort workstations", { exact: true }).selectOption("hostname:desc");
  await expect(firstHost(page, "workstation")).toHaveText(`ws60.${DOMAIN}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, "the targets lists on a phone");
  await targets.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/targets-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });

  // An error is not an empty list: the reason and a Retry that recovers.
  await page.route("**/api/trpc/**sites.targets**", (route) =>
    route.fulfill({ status: 500, contentType: "application/json", body: "[]" }),
  );
  await page.reload();
  // (React Query retries a failed load three times first.)
  await expect(targets.getByTestId("query-error").first()).toBeVisible({ timeout: 30_000 });
  await expect(targets.getByTestId("targets-empty")).toHaveCount(0);
  await page.unroute("**/api/trpc/**sites.targets**");
  await targets.getByRole("button", { name: "Retry" }).first().click();
  await expect(rows(page, "server")).toHaveCount(25);

  // The dashboard's AD coverage card links to the site.
  await page.goto("/dashboard");
  const card = page.getByTestId("ad-coverage-card");
  await expect(card.getByTestId("dash-coverage-in-ad")).not.toHaveText("0");
  await expect(card.locator(`a[href="${sitePath}#coverage"]`)).toHaveText("Targets clinic");
  await expectAccessible(page, "the dashboard with AD coverage");
  await page.screenshot({ path: "test-results/screens/dashboard-coverage-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, "the dashboard with AD coverage on a phone");
  await page.screenshot({ path: "test-results/screens/dashboard-coverage-phone.png", fullPage: true });
  await context.close();
});
