import { expect, test } from "@playwright/test";
import pg from "pg";
import { fixtures } from "../fixtures";

/** Inserts an alert as the worker would when one of the partner's appliances goes silent. */
async function raiseAlert(slug: string, title: string) {
  const client = new pg.Client({ connectionString: fixtures().databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO notifications (id, partner_id, kind, title, body)
       SELECT 'e2e-' || md5(random()::text), id, 'appliance.offline', $2, 'site-x-02:00:00:00:00:09 has not checked in for 3 minutes.'
       FROM partners WHERE slug = $1`,
      [slug, title],
    );
  } finally {
    await client.end();
  }
}

test("a partner sees an alert on the dashboard and in the header, and marks it read", async ({ page }) => {
  const f = fixtures();
  const title = `Appliance offline at Alert Clinic ${Date.now()}`;
  await raiseAlert(f.other.slug, title);

  await page.goto("/dashboard");
  await page.getByLabel("Email").fill(f.other.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const alert = page.getByTestId("notification").filter({ hasText: title });
  await expect(alert).toBeVisible();
  await expect(page.getByTestId("notification-badge")).toContainText(/Alerts\s*[1-9]/);
  await page.screenshot({ path: "test-results/screens/dashboard-alerts.png", fullPage: true });

  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByTestId("unread-count")).toHaveCount(0);
  await expect(page.getByTestId("notification-badge")).toHaveText("Alerts");
  await expect(alert).toBeVisible();

  // Another partner never sees it.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: /^Alerts/ })).toBeVisible();
  await expect(page.getByTestId("notification").filter({ hasText: title })).toHaveCount(0);
});
