import { expect, type Page, test } from "@playwright/test";
import { fixtures } from "../fixtures";

/** Collects the browser's CSP violation reports (console errors) for a page. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) seen.push(msg.text());
  });
  return seen;
}

function directive(csp: string, name: string): string {
  return (
    csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? ""
  );
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("content security policy", () => {
  test("the sign-in page carries the headers, and every script tag the current nonce", async ({ request }) => {
    const res = await request.get("/sign-in");
    expect(res.status()).toBe(200);
    const headers = res.headers();
    const csp = headers["content-security-policy"] ?? "";
    const scriptSrc = directive(csp, "script-src");
    const nonce = scriptSrc.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(scriptSrc).not.toContain("unsafe-eval");
    expect(directive(csp, "style-src")).not.toContain("unsafe-inline");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce per request.
    const again = (await request.get("/sign-in")).headers()["content-security-policy"];
    expect(again).not.toBe(csp);
  });

  test("a script without the nonce is blocked, while the page's own scripts run and the form works", async ({
    page,
  }) => {
    const violations = cspViolations(page);
    // Inject an inline script without the nonce into the real page (headers unchanged), as an XSS would.
    await page.route("**/sign-in", async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("</head>", "<script>window.__injected = true;</script></head>");
      await route.fulfill({ response, body });
    });
    await page.goto("/sign-in");
    await signIn(page, fixtures().nepa.email, "not the password");
    // Only client-side code can show this message: the page hydrated.
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(violations.length).toBeGreaterThan(0);
  });

  test("signed in, the partner pages run with no CSP violation at all", async ({ page }) => {
    const violations = cspViolations(page);
    const f = fixtures();
    await page.goto("/dashboard");
    await signIn(page, f.nepa.email, f.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("brand-bar")).toHaveCSS("background-color", "rgb(37, 99, 235)");
    await page.getByTestId("brand-bar").getByRole("link", { name: "Sites" }).click();
    await expect(page.getByRole("heading", { name: "Sites" })).toBeVisible();
    await page.getByTestId("brand-bar").getByRole("link", { name: "Provision codes" }).click();
    await expect(page).toHaveURL(/\/provision-codes$/);
    expect(violations).toEqual([]);
  });
});

test.describe("sign-in return path", () => {
  for (const next of ["/\\evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"]) {
    test(`next=${next} falls back to the dashboard`, async ({ page }) => {
      const f = fixtures();
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await signIn(page, f.nepa.email, f.password);
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
    });
  }

  test("a same-site path is kept", async ({ page }) => {
    const f = fixtures();
    await page.goto("/provision-codes");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fprovision-codes$/);
    await signIn(page, f.nepa.email, f.password);
    await expect(page).toHaveURL(/\/provision-codes$/);
  });
});

test.describe("sign-in limits", () => {
  test("five wrong passwords lock the account: the right one is refused with a clear message, and the partner admin sees it", async ({
    page,
    browser,
  }) => {
    const f = fixtures();
    await page.goto("/sign-in");
    // Each attempt waits for its own answer, so the message checked is that attempt's.
    const attempt = async (password: string) => {
      const answer = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email"));
      await signIn(page, f.lockout.email, password);
      return (await answer).status();
    };
    for (let i = 0; i < 5; i++) {
      expect(await attempt(`wrong password ${i}`)).toBe(401);
      await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    }
    expect(await attempt(f.password)).toBe(429);
    await expect(page.getByTestId("sign-in-error")).toHaveText(
      /^Too many failed sign-ins for this account\. Try again in 1[45] minutes or ask your partner admin\.$/,
    );
    await expect(page).toHaveURL(/\/sign-in/);
    await page.screenshot({ path: "test-results/screens/sign-in-locked.png", fullPage: true });

    const admin = await (await browser.newContext()).newPage();
    await admin.goto("/activity");
    await signIn(admin, f.nepa.email, f.password);
    await expect(admin).toHaveURL(/\/activity$/);
    // The refused attempt (the unlock below adds its own entry for the same account, above it).
    const locked = admin
      .getByTestId("activity-entry")
      .filter({ hasText: f.lockout.email })
      .filter({ hasText: "account locked" })
      .first();
    await expect(locked).toContainText(`Sign-in failed for ${f.lockout.email}`);
    await expect(locked).toContainText("account locked");
    await expect(locked).toContainText("127.0.0.1");
    await admin.screenshot({ path: "test-results/screens/activity.png", fullPage: true });

    // The admin lifts the lock, and the right password works again.
    await locked.getByRole("button", { name: "Unlock" }).click();
    await expect(locked.getByRole("button", { name: "Unlocked" })).toBeVisible();
    expect(await attempt(f.password)).toBe(200);
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("a technician has no activity view", async ({ page }) => {
    const f = fixtures();
    await page.goto("/activity");
    await signIn(page, f.technician.email, f.password);
    await expect(page.getByTestId("activity-forbidden")).toBeVisible();
    await expect(page.getByRole("link", { name: "Activity", exact: true })).toHaveCount(0);
  });
});
