import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { fixtures } from "../fixtures";

const SIZES = [
  { name: "desktop", width: 1366, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** Nothing is wider than the screen: no sideways scrolling, no control pushed off to the right. */
async function expectNoOverflow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

let siteId = "";
test.beforeAll(async ({ request }) => {
  const f = fixtures();
  const created = await request.post("/api/partners/me/provision-codes", {
    data: { client_name: "Birch Street Pediatrics" },
    headers: { authorization: `Bearer ${f.nepa.token}` },
  });
  const { code } = (await created.json()) as { code: string };
  const dir = stateDir();
  expect(appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]).code).toBe(0);
  siteId = (parse(readFileSync(path.join(dir, "config.yaml"), "utf8")) as { site_id: string }).site_id;
});

for (const size of SIZES) {
  test(`sign-in, dashboard and site page at ${size.width}×${size.height}`, async ({ browser }) => {
    const f = fixtures();
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await expectNoOverflow(page, size.width);
    await page.screenshot({ path: `test-results/screens/sign-in-${size.name}.png`, fullPage: true });

    await page.getByLabel("Email").fill(f.nepa.email);
    await page.getByLabel("Password").fill(f.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("brand-name")).toHaveText("NEPA IT Solutions");
    await expectNoOverflow(page, size.width);
    await page.screenshot({ path: `test-results/screens/dashboard-${size.name}.png`, fullPage: true });

    await page.goto(`/sites/${siteId}`);
    await expect(page.getByRole("heading", { name: "Birch Street Pediatrics" })).toBeVisible();
    await page.screenshot({ path: `test-results/screens/site-${size.name}.png`, fullPage: true });

    const signOut = page.getByRole("button", { name: "Sign out" });
    if (size.name === "phone") {
      // The account controls fold into a menu that opens on screen.
      await expect(signOut).toBeHidden();
      await page.getByRole("button", { name: "Menu" }).click();
      await page.screenshot({ path: `test-results/screens/menu-${size.name}.png` });
    } else {
      await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    }
    await expect(page.getByTestId("user-email")).toBeInViewport();
    await expect(signOut).toBeInViewport();
    const box = await signOut.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(size.width);
    await signOut.click();
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
  });
}
