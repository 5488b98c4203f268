/**
 * The console at scale (issue 10, "Scale"), as a technician uses it: the dedicated partner "Scale MSP" has 500
 * sites, 10,000 appliances and 50,000 alerts (seeded by scripts/e2e-server.ts). On a desktop and on a phone:
 * find an offline appliance among 10,000 by typing part of its hostname, and work through unread alerts one
 * by one. Timing is the bench's job (npm run bench:console-scale); this proves the flows work at this size.
 */
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

// ONE sign-in per test: the e2e sign-ins share one client IP's rate limit.

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: fixtures().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function signIn(page: Page, path: string) {
  const f = fixtures();
  await page.goto(path);
  await page.getByLabel("Email").fill(f.scale.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** "1234 matching · 567 unread" → [1234, 567]. */
async function counts(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId("alerts-count").textContent()) ?? "";
  const m = /(\d+) (?:matching|in all) · (\d+) unread/.exec(text);
  if (!m) throw new Error(`alerts-count reads "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

for (const [width, height] of [
  [1366, 900],
  [390, 844],
] as const) {
  test.describe(`at ${width}×${height}`, () => {
    test.use({ viewport: { width, height } });

    test("a technician finds an offline appliance among 10,000 by typing part of its hostname", async ({ page }) => {
      const f = fixtures();
      const [all] = await sql<{ total: string }>(
        `SELECT count(*) AS total FROM appliances a JOIN sites s ON s.id = a.site_id JOIN partners p ON p.id = s.partner_id
         WHERE p.slug = $1`,
        [f.scale.slug],
      );
      expect(Number(all?.total)).toBe(10_000);
      // An offline appliance somewhere in the middle (hostnames pc-<place>-<5 digits>, unique by their number).
      const pick = width === 1366 ? 4242 : 7321;
      const [target] = await sql<{ hostname: string; client_name: string }>(
        `SELECT a.hostname, s.client_name FROM appliances a JOIN sites s ON s.id = a.site_id JOIN partners p ON p.id = s.partner_id
         WHERE p.slug = $1 AND a.status = 'offline' AND a.revoked_at IS NULL
         ORDER BY a.hostname OFFSET $2 LIMIT 1`,
        [f.scale.slug, pick % 6000],
      );
      if (!target) throw new Error("the scale partner has no offline appliance");
      const fragment = target.hostname.slice(-8); // e.g. "le-04242": part of it, not all of it

      await signIn(page, "/appliances");
      await expect(page).toHaveURL(/\/appliances$/);
      await expect(page.getByTestId("appliances-total")).toHaveText(/^10000 appliances\b/);
      await page.getByLabel(/^Search/).fill(fragment);
      await expect(page).toHaveURL(new RegExp(`q=${fragment}`));
      const rows = page.getByTestId("appliance-row");
      await expect(page.getByTestId("appliances-total")).toHaveText(/^1 appliance\b/);
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText(target.hostname);
      await expect(rows.first()).toContainText(target.client_name);
      await expect(rows.first().getByTestId("appliance-status")).toHaveText("offline");

      // Narrowed to offline first, as from the dashboard's card: the same one.
      await page.getByLabel(/^Status/).selectOption("offline");
      await expect(page).toHaveURL(/status=offline/);
      await expect(page.getByTestId("appliances-total")).toHaveText(/^1 appliance\b/);
      await expect(rows.first()).toContainText(target.hostname);
      await expectAccessible(page, `the appliances page at ${width} px, 10,000 appliances`);
      if (width === 390) {
        await expect
          .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
          .toBe(0);
      }
      await page.screenshot({ path: `test-results/screens/scale-appliances-${width}.png`, fullPage: true });
    });

    test("a technician works through unread alerts one by one among 50,000", async ({ page }) => {
      const f = fixtures();
      // Three new alerts about appliances of the partner, newest last: the first of the unread list.
      const tag = `${width}-${Date.now().toString(36)}`;
      const planted = await sql<{ title: string }>(
        `INSERT INTO notifications (id, partner_id, site_id, appliance_id, kind, title, body, created_at)
         SELECT 'e2e-scale-' || md5(random()::text), x.partner_id, x.site_id, x.id, 'appliance.offline',
                'Appliance offline at ' || x.client_name || ' (' || $2 || '-' || x.k || ')',
                x.hostname || ' has not checked in for 3 minutes. Check its power and network.',
                now() - make_interval(secs => 4 - x.k)
         FROM (SELECT a.id, a.site_id, a.hostname, s.client_name, s.partner_id, row_number() OVER (ORDER BY a.id)::int AS k
               FROM appliances a JOIN sites s ON s.id = a.site_id JOIN partners p ON p.id = s.partner_id
               WHERE p.slug = $1 ORDER BY a.id LIMIT 3) x
         RETURNING title`,
        [f.scale.slug, tag],
      );
      expect(planted).toHaveLength(3);

      await signIn(page, "/alerts?read=unread");
      await expect(page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
      await expect(page.getByLabel(/^State/)).toHaveValue("unread");
      const rows = page.getByTestId("alert-row");
      await expect(rows.first()).toContainText(`(${tag}-3)`);
      const [, unreadAtStart] = await counts(page);
      expect(unreadAtStart).toBeGreaterThan(5000);
      await expectAccessible(page, `the alerts page at ${width} px, 50,000 alerts`);
      await page.screenshot({ path: `test-results/screens/scale-alerts-${width}.png`, fullPage: true });

      for (let i = 0; i < 3; i++) {
        // Newest first: ours in the order they were raised, last first.
        const mine = `(${tag}-${3 - i})`;
        const first = rows.first();
        await expect(first).toContainText(mine);
        const markRead = first.getByRole("button", { name: /^Mark read: / });
        if (i === 0) await markRead.click();
        else {
          // From the keyboard: the focus already moved to this row's Mark read when the one before was read.
          await expect(markRead).toBeFocused();
          await page.keyboard.press("Enter");
        }
        // It leaves the unread view, the unread count drops by one, and the next one is first.
        await expect.poll(() => counts(page).then(([, unread]) => unread)).toBe(unreadAtStart - i - 1);
        await expect(rows.filter({ hasText: mine })).toHaveCount(0);
        await expect(rows).toHaveCount(25);
      }
      // All three of ours are read now; the list goes on with the seeded ones.
      await expect(rows.first()).not.toContainText(tag);
      await expect(rows.first()).toHaveAttribute("data-read", "false");
      await expect(rows.first().getByRole("button", { name: /^Mark read: / })).toBeFocused();
      if (width === 390) {
        await expect
          .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
          .toBe(0);
      }
      await page.screenshot({ path: `test-results/screens/scale-alerts-worked-${width}.png`, fullPage: true });
    });
  });
}

test.describe("dashboard at 1366×900", () => {
  test.use({ viewport: { width: 1366, height: 900 } });

  test("the dashboard of a partner with 10,000 appliances shows its counts, and its Offline card lists them", async ({
    page,
  }) => {
    const f = fixtures();
    const byStatus = await sql<{ status: string; n: string }>(
      `SELECT a.status::text AS status, count(*) AS n FROM appliances a JOIN sites s ON s.id = a.site_id
       JOIN partners p ON p.id = s.partner_id WHERE p.slug = $1 AND a.revoked_at IS NULL GROUP BY a.status`,
      [f.scale.slug],
    );
    const n = (status: string) => String(byStatus.find((r) => r.status === status)?.n ?? 0);
    await signIn(page, "/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("stat-sites")).toHaveText("500");
    await expect(page.getByTestId("stat-offline")).toHaveText(n("offline"));
    await expect(page.getByTestId("stat-error")).toHaveText(n("error"));
    await expect(page.getByTestId("stat-provisioning")).toHaveText(n("provisioning"));
    await expectAccessible(page, "the dashboard with 10,000 appliances");
    await page.screenshot({ path: "test-results/screens/scale-dashboard-1366.png", fullPage: true });
    await page.getByTestId("stat-offline-card").click();
    await expect(page).toHaveURL(/\/appliances\?status=offline$/);
    await expect(page.getByTestId("appliances-total")).toHaveText(new RegExp(`^${n("offline")} appliances\\b`));
  });
});
