/**
 * Loading, error, empty and not-found are different things, and the dashboard's numbers are live (issue 10).
 * One sign-in per test: the sign-ins share one client-IP rate limit.
 */
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { expectAccessible } from "../axe";
import { claimSite } from "../directory";
import { fixtures } from "../fixtures";

async function signIn(page: Page, path: string, email: string) {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(fixtures().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function sql(text: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: fixtures().databaseUrl });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Screenshots at both widths, axe at both, and no horizontal page scroll on the phone. */
async function shoot(page: Page, name: string) {
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
    await expectAccessible(page, `${name} at ${width} px`);
    if (width === 390) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name}: no horizontal scroll at 390 px`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("an unknown site is a 404 page with a way back to Sites, at once and without retries", async ({ page }) => {
  const f = fixtures();
  const siteCalls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/trpc/") && r.url().includes("sites.get")) siteCalls.push(r.url());
  });
  await signIn(page, "/sites/no-such-site-e2e", f.nepa.email);
  await expect(page).toHaveURL(/\/sites\/no-such-site-e2e$/);
  // Drawn by the server: no spinner, no retried NOT_FOUND (three retries took 8.5 s).
  await expect(page.getByRole("heading", { name: "This site was not found" })).toBeVisible({ timeout: 2_000 });
  expect(siteCalls).toEqual([]);
  await shoot(page, "site-not-found");

  // Any other unknown partner page is a 404 with a way back too.
  const missing = await page.goto("/no-such-page-e2e");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: /not found/i })).toBeVisible();

  await page.goto("/sites/no-such-site-e2e");
  await page.getByRole("link", { name: "Back to Sites" }).click();
  await expect(page).toHaveURL(/\/sites$/);
  await expect(page.getByRole("heading", { name: "Sites", level: 1 })).toBeVisible();
});

test("with the API failing the dashboard shows errors with Retry, not empty lists, and Retry recovers", async ({
  page,
}) => {
  const f = fixtures();
  await signIn(page, "/dashboard", f.nepa.email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("stat-sites")).toHaveText(/^\d+$/);

  await page.route("**/api/trpc/**", (route) =>
    route.fulfill({ status: 500, contentType: "text/plain", body: "Internal Server Error" }),
  );
  await page.reload();

  const alerts = page.locator("#notifications");
  // Two retries of a 500 (1 s and 2 s apart), then the error: the reason in words and a Retry.
  await expect(alerts.getByTestId("query-error")).toBeVisible({ timeout: 15_000 });
  await expect(alerts.getByTestId("query-error")).toContainText("Could not load alerts");
  await expect(alerts.getByText(/^No alerts\./)).toHaveCount(0);
  await expect(page.getByTestId("ad-coverage-card").getByTestId("query-error")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("stat-alerts")).toHaveText("–");
  await shoot(page, "dashboard-api-failing");

  await page.unroute("**/api/trpc/**");
  await alerts.getByRole("button", { name: "Retry" }).click();
  await expect(alerts.getByTestId("query-error")).toHaveCount(0);
  await expect(
    alerts
      .getByTestId("notification")
      .or(alerts.getByText(/^No alerts\./))
      .first(),
  ).toBeVisible();
  await page.getByTestId("ad-coverage-card").getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("ad-coverage-card").getByTestId("query-error")).toHaveCount(0);
});

test("the dashboard's numbers change without a reload, and its stat cards link to the filtered lists", async ({
  page,
  request,
}) => {
  const f = fixtures();
  const claimed = await claimSite(request, f.nepa.token, `Live clinic ${Date.now()}`);
  await signIn(page, "/dashboard", f.nepa.email);
  await expect(page).toHaveURL(/\/dashboard$/);

  const hrefs = {
    "stat-sites-card": "/sites",
    "stat-online-card": "/appliances?status=online",
    "stat-offline-card": "/appliances?status=offline",
    "stat-error-card": "/appliances?status=error",
    "stat-provisioning-card": "/appliances?status=provisioning",
    "stat-alerts-card": "/alerts?read=unread",
    "stat-codes-card": "/provision-codes",
  };
  for (const [testId, href] of Object.entries(hrefs)) {
    await expect(page.getByTestId(testId)).toHaveAttribute("href", href);
  }
  await expect(page.getByRole("heading", { name: "Recently changed appliances" })).toBeVisible();
  await expect(page.getByTestId("dashboard-updated")).toHaveText(/^Updated \d+ s ago$/);

  const errors = Number(await page.getByTestId("stat-error").textContent());
  // Marks this document: a reload would lose it.
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  await sql("UPDATE appliances SET status = 'error', updated_at = now() WHERE id = $1", [claimed.appliance_id]);

  await expect(page.getByTestId("stat-error")).toHaveText(String(errors + 1), { timeout: 25_000 });
  await expect(page.getByTestId("recent-appliance").first().getByTestId("recent-appliance-status")).toHaveText("error");
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await shoot(page, "dashboard-live");

  await page.getByTestId("stat-error-card").click();
  await expect(page).toHaveURL(/\/appliances\?status=error$/);
});
