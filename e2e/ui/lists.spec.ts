import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

// ONE sign-in per test: the e2e sign-ins share one client IP's rate limit.

/** Plants a site with these appliances (and optionally alerts) for the partner, as check-ins and the worker would. */
async function plant(
  slug: string,
  clinic: string,
  appliances: Array<{ hostname: string; status: string; minutesAgo: number }>,
  alerts: Array<{ kind: string; title: string; body: string; host?: string }> = [],
) {
  const client = new pg.Client({ connectionString: fixtures().databaseUrl });
  await client.connect();
  const siteId = `e2e-lists-${randomBytes(4).toString("hex")}`;
  try {
    await client.query(
      `INSERT INTO sites (id, partner_id, client_name, updated_at) SELECT $2, id, $3, now() FROM partners WHERE slug = $1`,
      [slug, siteId, clinic],
    );
    const ids = new Map<string, string>();
    for (const a of appliances) {
      const mac = Array.from(randomBytes(6), (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
      const id = `${siteId}-${mac}`;
      ids.set(a.hostname, id);
      await client.query(
        `INSERT INTO appliances (id, site_id, mac_address, hostname, api_key_hash, status, last_checkin_at, agent_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::"ApplianceStatus", now() - make_interval(mins => $7), '1.4.2', now())`,
        [id, siteId, mac, a.hostname, randomBytes(32).toString("hex"), a.status, a.minutesAgo],
      );
    }
    for (const [i, n] of alerts.entries()) {
      await client.query(
        `INSERT INTO notifications (id, partner_id, site_id, appliance_id, kind, title, body, created_at)
         SELECT $2, id, $3, $4, $5, $6, $7, now() - make_interval(secs => $8) FROM partners WHERE slug = $1`,
        [
          slug,
          `e2e-${randomBytes(6).toString("hex")}`,
          siteId,
          n.host ? (ids.get(n.host) ?? null) : null,
          n.kind,
          n.title,
          n.body,
          alerts.length - i,
        ],
      );
    }
  } finally {
    await client.end();
  }
  return siteId;
}

async function signIn(page: Page, path: string, email: string) {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(fixtures().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Screenshots at both widths (kept as artifacts); at 390 px the page itself never scrolls sideways. */
async function screens(page: Page, name: string) {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: `test-results/screens/${name}-1366.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
    .toBe(0);
  await expectAccessible(page, `${name} at 390 px`);
  await page.screenshot({ path: `test-results/screens/${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("a technician finds an offline appliance among several by typing part of its hostname", async ({ page }) => {
  const f = fixtures();
  const tag = randomBytes(3).toString("hex");
  const clinic = `Lists Clinic ${tag}`;
  await plant(f.nepa.slug, clinic, [
    { hostname: `rx-${tag}-frontdesk`, status: "online", minutesAgo: 1 },
    { hostname: `rx-${tag}-lab-01`, status: "offline", minutesAgo: 75 },
    // Not "online": the e2e server's maintenance may turn a quiet online appliance offline mid-test.
    { hostname: `rx-${tag}-lab-02`, status: "error", minutesAgo: 0 },
    { hostname: `rx-${tag}-xray`, status: "offline", minutesAgo: 40 },
  ]);

  await signIn(page, "/appliances?status=offline", f.nepa.email);
  await expect(page).toHaveURL(/\/appliances\?status=offline$/);
  await expect(page.getByRole("heading", { name: "Appliances", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Appliances", exact: true })).toBeVisible();
  await expect(page.getByLabel(/^Status/)).toHaveValue("offline");

  await page.getByLabel(/^Search/).fill(`${tag}-lab`);
  await expect(page).toHaveURL(new RegExp(`q=${tag}-lab`));
  const rows = page.getByTestId("appliance-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`rx-${tag}-lab-01`);
  await expect(rows.first()).toContainText(clinic);
  await expect(rows.first().getByTestId("appliance-status")).toHaveText("offline");
  await expect(page.getByTestId("appliances-total")).toContainText("1 appliance");
  await expectAccessible(page, "the appliances page");

  // Any status: both lab appliances, sorted by last check-in, newest first.
  await page.getByLabel(/^Status/).selectOption("all");
  await expect(rows).toHaveCount(2);
  await page.getByRole("button", { name: "Last check-in" }).click();
  await page.getByRole("button", { name: "Last check-in" }).click();
  await expect(page).toHaveURL(/sort=last_checkin&order=desc|order=desc.*sort=last_checkin/);
  await expect(rows.nth(0)).toContainText(`rx-${tag}-lab-02`);
  await expect(rows.nth(1)).toContainText(`rx-${tag}-lab-01`);

  // No match is its own state, with a way back.
  await page.getByLabel(/^Search/).fill(`${tag}-nothing-here`);
  await expect(page.getByTestId("appliances-empty")).toContainText("No appliance matches these filters.");

  await page.getByLabel(/^Search/).fill(tag);
  await expect(rows).toHaveCount(4);
  await screens(page, "appliances");
});

test("a technician filters alerts, marks one read by its row, then all", async ({ page }) => {
  const f = fixtures();
  const tag = randomBytes(3).toString("hex");
  const clinic = `Alerts Clinic ${tag}`;
  const host = `ax-${tag}-server`;
  await plant(
    f.nepa.slug,
    clinic,
    [
      { hostname: host, status: "offline", minutesAgo: 30 },
      { hostname: `ax-${tag}-desk`, status: "online", minutesAgo: 1 },
    ],
    [
      {
        kind: "appliance.offline",
        title: `Appliance offline at ${clinic}`,
        body: `${host} has not checked in for 3 minutes.`,
        host,
      },
      { kind: "enumeration_failed", title: `Enumeration of ${tag}.local failed`, body: "bind refused", host },
      {
        kind: "appliance.online",
        title: `Appliance back online at ${clinic}`,
        body: `ax-${tag}-desk checked in again.`,
        host: `ax-${tag}-desk`,
      },
    ],
  );

  await signIn(page, "/alerts?read=unread", f.nepa.email);
  await expect(page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
  await expect(page.getByLabel(/^State/)).toHaveValue("unread");
  await page.getByLabel(/^Search/).fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  const rows = page.getByTestId("alert-row");
  await expect(rows).toHaveCount(3);
  // Hosts and sites by the names the tables use, never the internal appliance id.
  await expect(rows.first().getByTestId("alert-site")).toHaveText(clinic);
  await expect(page.locator("main")).not.toContainText(/e2e-lists-[0-9a-f]+-[0-9A-F]{2}:/);
  await expectAccessible(page, "the alerts page");

  // Filter by type.
  await page.getByLabel(/^Type/).selectOption("appliance_offline");
  await expect(page).toHaveURL(/type=appliance_offline/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Appliance offline at ${clinic}`);
  await expect(rows.first().getByTestId("alert-host")).toHaveText(host);

  // Mark that one read by its row's button: it leaves the unread view.
  await page.getByRole("button", { name: new RegExp(`^Mark read: Appliance offline at ${clinic}`) }).click();
  await expect(page.getByTestId("alerts-empty")).toContainText("No alert matches these filters.");
  await page.getByLabel(/^Type/).selectOption("all");
  await expect(rows).toHaveCount(2);

  // Then all matching this search.
  await page.getByRole("button", { name: "Mark all matching read" }).click();
  await expect(page.getByTestId("alerts-empty")).toBeVisible();
  await page.getByLabel(/^State/).selectOption("read");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ has: page.getByText("Unread", { exact: true }) })).toHaveCount(0);
  await screens(page, "alerts");
});
