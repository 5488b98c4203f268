/**
 * The header with the longest set of links (a partner admin's) and a long email: the whole address is on
 * screen at 1366×900 (not cut off), the account controls stay reachable at every width, and a phone never
 * scrolls sideways (issue 10).
 */
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

const LINKS = [
  "Dashboard",
  "Sites",
  "Appliances",
  "Alerts",
  "Provision codes",
  "Users",
  "Settings",
  "API tokens",
  "Activity",
];

/** Not cut off: the element shows all its text (no ellipsis) and lies inside the viewport. */
async function expectWhole(page: Page, el: Locator, width: number) {
  await expect(el).toBeInViewport({ ratio: 1 });
  const clipped = await el.evaluate((e) => e.scrollWidth > e.clientWidth + 1);
  expect(clipped, "the email is cut off").toBe(false);
  const box = await el.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

// One sign-in: the e2e sign-ins share one client IP (see roles.spec.ts).
test("a partner admin with a long email sees all of it beside every link, at 1366 px and on a phone", async ({
  page,
}) => {
  const f = fixtures();
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto("/dashboard");
  await page.getByLabel("Email").fill(f.longEmail.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(LINKS);
  for (const link of await nav.getByRole("link").all()) await expect(link).toBeInViewport();
  const email = page.getByTestId("user-email");
  await expect(email).toHaveText(f.longEmail.email);
  await expectWhole(page, email, 1366);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await page.screenshot({ path: "test-results/screens/header-long-email-desktop.png" });
  await expectAccessible(page, "the header with a long email");

  // Between phone and desktop the header still holds everything.
  for (const width of [768, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await expectWhole(page, email, width);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    await page.screenshot({ path: `test-results/screens/header-long-email-${width}.png` });
  }

  // A phone: everything folds into the menu; no sideways scroll, the whole email inside it.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByRole("button", { name: "Menu" }).click();
  await expectWhole(page, email, 390);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await page.screenshot({ path: "test-results/screens/header-long-email-phone.png" });
});
