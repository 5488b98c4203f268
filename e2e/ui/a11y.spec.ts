import { readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { DARK_TEXT_BACKGROUND } from "../../app/lib/brand-css";
import { contrastRatio, luminance } from "../../app/lib/color";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

/**
 * Every partner page, signed in and out, at a desktop and a phone width: axe-core finds nothing serious, the
 * page never scrolls sideways, the skip link is the first thing Tab reaches and moves to the content, and the
 * nav marks the current page. All of it twice: with the system in light mode and in dark mode (the page must
 * then actually be dark). The e2e sign-ins share one client-IP rate limit, so each test signs in once (a dark
 * context reuses the light one's session).
 */

const WIDTHS = [
  { name: "1366", width: 1366, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;

// No spaces: it must wrap inside the heading instead of pushing the page (or "Scan now") sideways.
const LONG_NAME = "Northeastern-Pennsylvania-Pediatric-and-Family-Medicine-Associates-Wilkes-Barre";

let siteId = "";
let invitePath = "";

test.beforeAll(async ({ request }) => {
  const f = fixtures();
  const auth = { authorization: `Bearer ${f.nepa.token}` };
  const created = await request.post("/api/partners/me/provision-codes", {
    data: { client_name: LONG_NAME },
    headers: auth,
  });
  const { code } = (await created.json()) as { code: string };
  const dir = stateDir();
  expect(appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]).code).toBe(0);
  siteId = (parse(readFileSync(path.join(dir, "config.yaml"), "utf8")) as { site_id: string }).site_id;

  const invited = await request.post("/api/partners/me/users", {
    data: { email: `a11y-${Date.now()}@nepa-it.example`, name: "Ada Access", role: "partner_technician" },
    headers: auth,
  });
  expect(invited.status()).toBe(201);
  invitePath = new URL(((await invited.json()) as { invite_url: string }).invite_url).pathname;
});

async function expectNoHorizontalScroll(page: Page, width: number, what: string) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${what}: page width`).toBeLessThanOrEqual(width);
  // Nor does the content area scroll sideways as a whole: a wide table scrolls inside its own card.
  const main = await page.evaluate(() => {
    const m = document.querySelector("main");
    return m ? m.scrollWidth - m.clientWidth : 0;
  });
  expect.soft(main, `${what}: main scrolls sideways by`).toBeLessThanOrEqual(0);
}

type Scheme = "light" | "dark";
const suffix = (scheme: Scheme) => (scheme === "dark" ? "-dark" : "");

/** A computed CSS colour as #RRGGBB (Chromium reports oklch() for Tailwind's colours; a canvas converts it). */
async function cssHex(page: Page, css: string): Promise<string> {
  return page.evaluate((colour) => {
    const ctx = document.createElement("canvas").getContext("2d");
    if (!ctx) throw new Error("no 2d canvas");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    return `#${[...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)].map((n) => n.toString(16).padStart(2, "0")).join("")}`;
  }, css);
}

async function pageColours(page: Page): Promise<{ background: string; text: string }> {
  const { background, text } = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { background: s.backgroundColor, text: s.color };
  });
  return { background: await cssHex(page, background), text: await cssHex(page, text) };
}

/** The scheme is really applied: a near-black page with light text in dark mode, the reverse in light mode. */
async function expectScheme(page: Page, scheme: Scheme, what: string) {
  const { background, text } = await pageColours(page);
  if (scheme === "dark") {
    expect(luminance(background), `${what}: page background ${background} is dark`).toBeLessThan(0.02);
    expect(luminance(text), `${what}: text ${text} is light`).toBeGreaterThan(0.8);
  } else {
    expect(luminance(background), `${what}: page background ${background} is light`).toBeGreaterThan(0.9);
    expect(luminance(text), `${what}: text ${text} is dark`).toBeLessThan(0.05);
  }
}

/** A context with the same session as `context` (no second sign-in), with the system in dark mode. */
async function darkTwin(browser: Browser, context: BrowserContext): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1366, height: 900 },
    colorScheme: "dark",
    storageState: await context.storageState(),
  });
}

/** Tab once from a freshly loaded page: the skip link has the focus and is on screen; Enter moves the focus to <main>. */
async function expectSkipLinkFirst(page: Page) {
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
}

const PARTNER_PAGES = [
  { page: "dashboard", url: () => "/dashboard", heading: "Dashboard", nav: "Dashboard" },
  { page: "sites", url: () => "/sites", heading: "Sites", nav: "Sites" },
  { page: "appliances", url: () => "/appliances", heading: "Appliances", nav: "Appliances" },
  { page: "alerts", url: () => "/alerts", heading: "Alerts", nav: "Alerts" },
  { page: "site", url: () => `/sites/${siteId}`, heading: LONG_NAME, nav: "Sites" },
  { page: "provision-codes", url: () => "/provision-codes", heading: "Provision codes", nav: "Provision codes" },
  { page: "users", url: () => "/users", heading: "Users", nav: "Users" },
  { page: "api-tokens", url: () => "/api-tokens", heading: "API tokens", nav: "API tokens" },
  { page: "activity", url: () => "/activity", heading: "Activity", nav: "Activity" },
  { page: "compliance-settings", url: () => "/compliance-settings", heading: "Compliance settings", nav: "Settings" },
] as const;

/** Every partner page at both widths in one colour scheme (the page's context sets it). */
async function checkPartnerPages(page: Page, scheme: Scheme) {
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const p of PARTNER_PAGES) {
      const what = `${p.page} at ${size.name} px, ${scheme}`;
      await page.goto(p.url());
      await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
      // Let the client-side lists settle (their skeletons give way to data).
      await page.waitForLoadState("networkidle");
      await expectScheme(page, scheme, what);
      await expectAccessible(page, what);
      await expectNoHorizontalScroll(page, size.width, what);
      await expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]'), what).toHaveText(p.nav);
      await expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]')).toHaveCount(1);
      await page.screenshot({
        path: `test-results/screens/a11y-${p.page}-${size.name}${suffix(scheme)}.png`,
        fullPage: true,
      });
      await expectSkipLinkFirst(page);
    }
  }
}

test("signed in: every partner page at 1366 and 390 px, light and dark, is accessible, fits, has a skip link and marks the page", async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const f = fixtures();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password", { exact: true }).fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await checkPartnerPages(page, "light");

  // The site page's long name wraps: "Scan now" stays inside the screen at 390 px (the viewport is still 390).
  await page.goto(`/sites/${siteId}`);
  const scanNow = page.getByRole("button", { name: "Scan now" }).first();
  await expect(scanNow).toBeVisible();
  const scanBox = await scanNow.boundingBox();
  expect((scanBox?.x ?? 0) + (scanBox?.width ?? 0)).toBeLessThanOrEqual(390);

  // Add credential: the form's first field takes the focus; Cancel gives it back to Add credential.
  await page.getByRole("button", { name: "Add credential" }).click();
  await expect(page.getByTestId("credential-form").getByLabel("Type")).toBeFocused();
  await page.getByTestId("credential-form").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Add credential" })).toBeFocused();
  // Row actions say which row they act on.
  await page.getByRole("button", { name: "Add credential" }).click();
  const form = page.getByTestId("credential-form");
  await form.getByLabel("Name", { exact: true }).fill("File server");
  await form.getByLabel("Host", { exact: true }).fill("fs01.birch.local");
  await form.getByLabel("Username").fill("svc-scan");
  await form.getByLabel("Password", { exact: true }).fill("A long enough password 1!");
  await form.getByRole("button", { name: "Add credential" }).click();
  await expect(page.getByRole("button", { name: "Delete credential File server" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit credential File server" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add credential" })).toBeFocused();

  // The phone menu: the current page is marked there too, and the account controls are reachable.
  await page.goto("/provision-codes");
  await page.getByRole("button", { name: "Menu" }).click();
  const current = page.locator('nav[aria-label="Main"] a[aria-current="page"]');
  await expect(current).toBeVisible();
  await expect(current).toHaveText("Provision codes");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await page.screenshot({ path: "test-results/screens/a11y-menu-390.png" });
  await page.getByRole("button", { name: "Close" }).click();

  // A new code takes the focus; Copy is announced; Done gives the focus back to Create code.
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.getByLabel("Clinic (client name)").fill("Focus Test Clinic");
  await page.getByRole("button", { name: "Create code" }).click();
  await expect(page.getByTestId("created-code")).toBeFocused();
  await page.getByTestId("created-code").getByRole("button", { name: "Copy" }).click();
  await expect(page.getByTestId("created-code").getByRole("status")).toHaveText("Copied");
  // A keyboard focus ring is drawn on a brand-coloured control.
  await page.getByTestId("created-code").getByRole("button", { name: "Print" }).focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  const ring = await page
    .getByTestId("created-code")
    .getByRole("button", { name: "Print" })
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { style: s.outlineStyle, width: s.outlineWidth };
    });
  expect(ring).toEqual({ style: "solid", width: "2px" });
  await page.screenshot({ path: "test-results/screens/a11y-focus-ring-1366.png" });
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("button", { name: "Create code" })).toBeFocused();
  await expect(page.getByRole("button", { name: "Revoke code for Focus Test Clinic" })).toBeVisible();

  // The same pages with the system in dark mode.
  const dark = await darkTwin(browser, context);
  await context.close();
  const night = await dark.newPage();
  await checkPartnerPages(night, "dark");

  // Brand-coloured links are lightened as far as needed to read on the dark surfaces.
  await night.setViewportSize({ width: 1366, height: 900 });
  await night.goto("/sites");
  const siteLink = night.locator(`main a[href="/sites/${siteId}"]`).first();
  await expect(siteLink).toBeVisible();
  const linkColour = await cssHex(night, await siteLink.evaluate((el) => getComputedStyle(el).color));
  const { background } = await pageColours(night);
  for (const bg of [background, DARK_TEXT_BACKGROUND]) {
    expect(contrastRatio(linkColour, bg), `link ${linkColour} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  }

  // The not-found pages are dark too, and accessible.
  for (const [name, url] of [
    ["site-not-found", "/sites/no-such-site-a11y"],
    ["not-found", "/no-such-page-a11y"],
  ] as const) {
    await night.goto(url);
    await expect(night.getByRole("heading", { level: 1, name: /not found/i })).toBeVisible();
    await expectScheme(night, "dark", name);
    await expectAccessible(night, `${name}, dark`);
    await night.screenshot({ path: `test-results/screens/a11y-${name}-1366-dark.png`, fullPage: true });
  }

  // A new code in dark mode: the keyboard focus ring stands out from the dark card, and the QR code keeps a
  // white frame (a quiet zone) so it still scans.
  await night.goto("/provision-codes");
  await night.getByLabel("Clinic (client name)").fill("Dark Mode Clinic");
  await night.getByRole("button", { name: "Create code" }).click();
  const created = night.getByTestId("created-code");
  await expect(created).toBeFocused();
  await created.getByRole("button", { name: "Print" }).focus();
  await night.keyboard.press("Shift+Tab");
  await night.keyboard.press("Tab");
  const focus = await created.getByRole("button", { name: "Print" }).evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      style: s.outlineStyle,
      colour: s.outlineColor,
      card: getComputedStyle(el.closest("section") as Element).backgroundColor,
    };
  });
  expect(focus.style).toBe("solid");
  const ringOnCard = contrastRatio(await cssHex(night, focus.colour), await cssHex(night, focus.card));
  expect(ringOnCard, "focus ring against the dark card").toBeGreaterThanOrEqual(3);
  const qrFrame = await created.getByTestId("code-qr").evaluate((el) => getComputedStyle(el).boxShadow);
  expect(qrFrame).toContain("rgb(255, 255, 255)");
  await night.screenshot({ path: "test-results/screens/a11y-created-code-1366-dark.png", fullPage: true });
  // A printout stays dark on white whatever the screen's scheme.
  await night.emulateMedia({ media: "print" });
  await expectScheme(night, "light", "provision code printout");
  await night.emulateMedia({ media: "screen" });
  await expectScheme(night, "dark", "provision code on screen");
  await created.getByRole("button", { name: "Done" }).click();
  await dark.close();
});

test("signed out: the sign-in and invite pages at 1366 and 390 px, light and dark, are accessible and fit", async ({
  browser,
}) => {
  for (const scheme of ["light", "dark"] as const) {
    for (const size of WIDTHS) {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        colorScheme: scheme,
      });
      const page = await context.newPage();
      const what = (name: string) => `${name} at ${size.name} px, ${scheme}`;
      await page.goto("/sign-in");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await expectScheme(page, scheme, what("sign-in"));
      await expectAccessible(page, what("sign-in"));
      await expectNoHorizontalScroll(page, size.width, what("sign-in"));
      await page.screenshot({
        path: `test-results/screens/a11y-sign-in-${size.name}${suffix(scheme)}.png`,
        fullPage: true,
      });

      await page.goto(invitePath);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectScheme(page, scheme, what("invite"));
      await expectAccessible(page, what("invite"));
      await expectNoHorizontalScroll(page, size.width, what("invite"));
      await page.screenshot({
        path: `test-results/screens/a11y-invite-${size.name}${suffix(scheme)}.png`,
        fullPage: true,
      });
      await context.close();
    }
  }
});

const hex = (rgb: string) =>
  `#${(rgb.match(/\d+/g) ?? [])
    .slice(0, 3)
    .map((n) => Number(n).toString(16).padStart(2, "0"))
    .join("")}`;

test("a light partner colour (#F59E0B): the bar uses it as given, brand-coloured links are darkened to 4.5:1", async ({
  browser,
}) => {
  const f = fixtures();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(f.amber.email);
  await page.getByLabel("Password", { exact: true }).fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const bar = await page.getByTestId("brand-bar").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(hex(bar).toUpperCase()).toBe(f.amber.color);

  await page.goto("/sites");
  const link = page.locator('main a[href="/provision-codes"]');
  await expect(link).toBeVisible();
  const colour = hex(await link.evaluate((el) => getComputedStyle(el).color));
  expect(contrastRatio(f.amber.color, "#FFFFFF")).toBeLessThan(3);
  expect(contrastRatio(colour, "#FFFFFF")).toBeGreaterThanOrEqual(4.5);
  expect(contrastRatio(colour, "#F8FAFC")).toBeGreaterThanOrEqual(4.5);
  await expectAccessible(page, "sites of the amber partner");
  await page.screenshot({ path: "test-results/screens/a11y-amber-sites-1366.png", fullPage: true });
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expectAccessible(page, "dashboard of the amber partner");
  await page.screenshot({ path: "test-results/screens/a11y-amber-dashboard-1366.png", fullPage: true });

  // Dark mode: the bar keeps the colour as given; the links are checked against the dark surfaces.
  const dark = await darkTwin(browser, context);
  await context.close();
  const night = await dark.newPage();
  await night.goto("/sites");
  const darkBar = await night.getByTestId("brand-bar").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(hex(darkBar).toUpperCase()).toBe(f.amber.color);
  const darkLink = night.locator('main a[href="/provision-codes"]');
  await expect(darkLink).toBeVisible();
  await expectScheme(night, "dark", "sites of the amber partner");
  const darkColour = hex(await darkLink.evaluate((el) => getComputedStyle(el).color));
  const { background } = await pageColours(night);
  for (const bg of [background, DARK_TEXT_BACKGROUND]) {
    expect(contrastRatio(darkColour, bg), `amber link ${darkColour} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  }
  await expectAccessible(night, "sites of the amber partner, dark");
  await night.screenshot({ path: "test-results/screens/a11y-amber-sites-1366-dark.png", fullPage: true });
  await night.goto("/dashboard");
  await expect(night.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await night.waitForLoadState("networkidle");
  await expectAccessible(night, "dashboard of the amber partner, dark");
  await night.screenshot({ path: "test-results/screens/a11y-amber-dashboard-1366-dark.png", fullPage: true });
  await dark.close();
});
