import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const OLD_PASSWORD = "the technician's first passphrase";
const NEW_PASSWORD = "the technician's new passphrase";

/** Full-page screenshots at both widths, for people to look at (test-results/screens/); no page scroll. */
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

/** WCAG contrast ratio of two computed CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function hexToRgb(hex: string): string {
  const n = (i: number) => Number.parseInt(hex.slice(i, i + 2), 16);
  return `rgb(${n(1)}, ${n(3)}, ${n(5)})`;
}

/** A technician with a password, made over REST and the link's own API: no sign-in spent. */
async function technicianWithPassword(request: APIRequestContext, token: string) {
  const email = `forgetful-${Date.now()}@nepa-it.example`;
  const created = await request.post("/api/partners/me/users", {
    headers: { authorization: `Bearer ${token}` },
    data: { email, name: "Fran Forgetful", role: "partner_technician" },
  });
  expect(created.status()).toBe(201);
  const inviteUrl = String(((await created.json()) as { invite_url: string }).invite_url);
  const accepted = await request.post("/api/trpc/invites.accept", {
    data: { token: new URL(inviteUrl).pathname.split("/")[2], password: OLD_PASSWORD },
  });
  expect(accepted.status()).toBe(200);
  return email;
}

test.describe.configure({ mode: "serial" });

let resetUrl = "";
let techEmail = "";

// ONE sign-in per test: the e2e sign-ins share one client IP's rate limit.
test("sign-in focuses the email field and can show the password; an admin resets a technician's password", async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const f = fixtures();
  techEmail = await technicianWithPassword(request, f.nepa.token);

  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto("/sign-in?next=/users");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(f.nepa.email);
  await page.getByLabel("Password", { exact: true }).fill(f.password);

  const toggle = page.getByRole("button", { name: "Show password" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("type", "password");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("type", "text");
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(f.password);
  await expect(toggle).toBeFocused();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("type", "password");
  await expect(toggle).toBeFocused();
  await expectAccessible(page, "the sign-in page");
  await screens(page, "sign-in");

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.getByLabel("Search").fill(techEmail);
  const row = page.locator(`[data-testid="user-row"][data-email="${techEmail}"]`);
  await expect(page.getByTestId("user-row")).toHaveCount(1);
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("signed out at once");
    void dialog.accept();
  });
  await row.getByRole("button", { name: "Reset password of Fran Forgetful" }).click();
  await expect(page.getByTestId("issued-link")).toContainText("Password reset link for Fran Forgetful");
  resetUrl = (await page.getByTestId("invite-url").getAttribute("data-url")) ?? "";
  expect(resetUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expectAccessible(page, "the users page with a reset link");
  await screens(page, "users-reset-link");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("invite-url")).toHaveCount(0);
  await context.close();
});

test("the technician sets a new password with the link, is signed in with it, and the link is used up", async ({
  browser,
}) => {
  expect(resetUrl).not.toBe("");
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(resetUrl);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(techEmail);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByLabel("Repeat the password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(techEmail);
  await context.close();

  const again = await browser.newContext();
  const reuse = await again.newPage();
  await reuse.goto(resetUrl);
  await expect(reuse.getByTestId("invite-problem")).toContainText("already been used");
  await again.close();
});

test("a partner-branded sign-in page shows the partner's name and colour with readable text; an unknown slug shows the plain page", async ({
  browser,
  request,
}) => {
  const f = fixtures();
  const me = await request.get("/api/partners/me", { headers: { authorization: `Bearer ${f.nepa.token}` } });
  const partner = (await me.json()) as { brand_name: string; primary_color: string };

  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(`/sign-in?partner=${f.nepa.slug}`);
  const bar = page.getByTestId("sign-in-brand");
  await expect(bar).toHaveText(partner.brand_name);
  await expect(page).toHaveTitle(`Sign in · ${partner.brand_name}`);
  await expect(page.getByText("OsirisCare")).toHaveCount(0);
  const [bg, fg] = await bar.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
  expect(bg).toBe(hexToRgb(partner.primary_color));
  expect(contrast(bg ?? "", fg ?? "")).toBeGreaterThanOrEqual(4.5);
  const submit = page.getByRole("button", { name: "Sign in" });
  const [btnBg, btnFg] = await submit.evaluate((el) => [
    getComputedStyle(el).backgroundColor,
    getComputedStyle(el).color,
  ]);
  expect(btnBg).toBe(hexToRgb(partner.primary_color));
  expect(contrast(btnBg ?? "", btnFg ?? "")).toBeGreaterThanOrEqual(4.5);
  await expect(page.getByLabel("Email")).toBeFocused();
  await expectAccessible(page, "the branded sign-in page");
  await screens(page, "sign-in-branded");

  for (const slug of ["no-such-partner-slug", "Not A Slug!"]) {
    const res = await page.goto(`/sign-in?partner=${encodeURIComponent(slug)}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId("sign-in-brand")).toHaveCount(0);
    await expect(page.getByTestId("sign-in-product")).toHaveText("OsirisCare Central Command");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
  await context.close();
});

test("sign-in follows the system's dark setting, plain and branded, and stays accessible", async ({ browser }) => {
  const f = fixtures();
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/sign-in");
  const card = page.locator("main > div").first();
  const [pageBg, cardBg] = await page.evaluate(() => [
    getComputedStyle(document.querySelector("main") as Element).backgroundColor,
    getComputedStyle(document.querySelector("main > div") as Element).backgroundColor,
  ]);
  // Dark surfaces: far from white.
  expect(contrast(pageBg ?? "", "rgb(255, 255, 255)")).toBeGreaterThan(10);
  expect(contrast(cardBg ?? "", "rgb(255, 255, 255)")).toBeGreaterThan(10);
  await expect(card).toBeVisible();
  await expectAccessible(page, "the sign-in page in dark mode");
  await screens(page, "sign-in-dark");

  await page.goto(`/sign-in?partner=${f.nepa.slug}`);
  await expect(page.getByTestId("sign-in-brand")).toBeVisible();
  await expectAccessible(page, "the branded sign-in page in dark mode");
  await screens(page, "sign-in-branded-dark");
  await context.close();
});
