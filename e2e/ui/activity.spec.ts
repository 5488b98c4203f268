import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { claimSite } from "../directory";
import { fixtures } from "../fixtures";

const PASSWORD = "Activity!e2e-planted-secret";
const ADMIN_NAME = "NEPA IT Solutions admin";

// ONE sign-in per test: the e2e sign-ins share one client IP's rate limit.
test("an admin's credential added and deleted in the browser shows in Activity by name, filtered, and in the CSV", async ({
  page,
  request,
}) => {
  const f = fixtures();
  const clinic = `Activity clinic ${randomBytes(3).toString("hex")}`;
  const name = `Vault ${randomBytes(3).toString("hex")}`;
  const site = await claimSite(request, f.nepa.token, clinic);

  await page.goto(`/sites/${site.site_id}`);
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: clinic })).toBeVisible();

  await page.getByRole("button", { name: "Add credential" }).click();
  const form = page.getByTestId("credential-form");
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Host", { exact: true }).fill("vault.clinic.local");
  await form.getByLabel("Username", { exact: true }).fill("svc-vault");
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Add credential" }).click();
  const row = page.getByTestId("credential-row").filter({ hasText: "vault.clinic.local" });
  await expect(row).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);

  // The nav says "Activity"; the log names the credential (gone now), the clinic's code, and who did it.
  await page.getByRole("link", { name: "Activity", exact: true }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await expect(page.getByRole("heading", { name: "Activity", exact: true })).toBeVisible();
  const entries = page.getByTestId("activity-entry");
  await expect(entries.filter({ hasText: `Provision code for '${clinic}' created` })).toHaveCount(1);

  // Filter: credentials only, then a search for this credential's name (URL state).
  await page.getByLabel("Action").selectOption("credentials");
  await expect(page).toHaveURL(/group=credentials/);
  await page.getByLabel("Search").fill(name);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(name).replace("%20", "(%20|\\+)")}`));
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText(`Credential '${name}' deleted at ${clinic}`);
  await expect(entries.nth(1)).toContainText(`Credential '${name}' added at ${clinic}`);
  await expect(entries.nth(0).getByTestId("activity-actor")).toContainText(`${ADMIN_NAME} · ${f.nepa.email}`);
  await expect(entries.nth(0)).toContainText("127.0.0.1"); // from where: the browser's address
  expect(await page.content()).not.toContain(PASSWORD);

  // Who: another person's actions are not these.
  await page.getByLabel("Who").selectOption({ label: "NEPA technician" });
  await expect(page.getByTestId("activity-empty")).toHaveText("No activity matches these filters.");
  await page.getByLabel("Who").selectOption({ label: ADMIN_NAME });
  await expect(entries).toHaveCount(2);
  await expectAccessible(page, "activity (filtered)");

  // The CSV has the same two rows, named, and no secret.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await (await download).path();
  const csv = (await import("node:fs")).readFileSync(file, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toMatch(/^"time","action","summary","actor_type","actor",/);
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(`Credential '${name}' deleted`);
  expect(lines[1]).toContain(ADMIN_NAME);
  expect(lines[2]).toContain("credential.created");
  expect(csv).not.toContain(PASSWORD);

  // Screenshots: the whole log (no filters) at desktop and phone widths.
  await page.goto("/activity");
  await expect(entries.first()).toBeVisible();
  for (const [label, width] of [
    ["desktop", 1366],
    ["phone", 390],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await expect(entries.first()).toBeVisible();
    await expectAccessible(page, `activity at ${width}px`);
    await page.screenshot({ path: `test-results/screens/activity-log-${label}.png`, fullPage: true });
  }
});
