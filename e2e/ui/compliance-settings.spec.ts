import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { deriveApplianceKeys } from "../../appliance/src/crypto/appliance-key";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function screens(page: Page, name: string) {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: `test-results/screens/${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

// One sign-in (the e2e sign-ins share one client IP; see roles.spec.ts).
test("an admin sets the compliance thresholds and a site's scan schedule; the appliance's next check-in carries both", async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const f = fixtures();
  const auth = { authorization: `Bearer ${f.nepa.token}` };
  const { code } = (await (
    await request.post("/api/partners/me/provision-codes", {
      data: { client_name: "Thresholds Clinic" },
      headers: auth,
    })
  ).json()) as { code: string };
  const dir = stateDir();
  expect(appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]).code).toBe(0);
  const config = parse(readFileSync(path.join(dir, "config.yaml"), "utf8")) as {
    site_id: string;
    appliance_id: string;
    appliance_secret: string;
  };

  await page.setViewportSize(DESKTOP);
  await page.goto("/compliance-settings");
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Compliance settings" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Settings", exact: true })).toBeVisible();
  const form = page.getByTestId("compliance-thresholds-form");
  const patches = form.getByLabel("Patches: newest update at most (days old)");
  await expect(patches).toHaveValue("30");
  await expect(form.getByLabel("Screen lock: locks after at most (seconds)")).toHaveValue("600");
  await expectAccessible(page, "the compliance settings page");

  await patches.fill("14");
  await form.getByLabel("Your own remote-access / RMM tools").fill("Datto RMM\nScreenConnect");
  await form.getByRole("button", { name: "Save settings" }).click();
  const saved = form.getByRole("status");
  await expect(saved).toHaveText("Saved. Appliances apply it from their next check-in.");
  await expect(saved).toBeFocused();
  await screens(page, "compliance-settings");

  await page.reload();
  await expect(page.getByTestId("compliance-thresholds-form").getByLabel(/^Patches/)).toHaveValue("14");

  await page.goto(`/sites/${config.site_id}`);
  const schedule = page.getByLabel("Scheduled scans");
  await expect(schedule).toHaveValue("60");
  await schedule.selectOption({ label: "every 4 hours" });
  await expect(schedule).toHaveValue("240");
  await expect(schedule).toBeEnabled();
  await expectAccessible(page, "the site page with its scan schedule");

  // What the appliance receives at its next check-in (its own key, the seed's check-in path).
  const checkin = await request.post("/api/appliances/checkin", {
    headers: { authorization: `Bearer ${deriveApplianceKeys(config.appliance_secret).apiKey}` },
    data: { appliance_id: config.appliance_id },
  });
  expect(checkin.status()).toBe(200);
  const body = (await checkin.json()) as {
    compliance: { scan_interval_s: number; thresholds: Record<string, unknown> };
  };
  expect(body.compliance.scan_interval_s).toBe(14_400);
  expect(body.compliance.thresholds).toMatchObject({
    patch_max_age_days: 14,
    rmm_allow_list: ["Datto RMM", "ScreenConnect"],
  });
});
