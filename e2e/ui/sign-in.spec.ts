import { expect, test } from "@playwright/test";
import { fixtures } from "../fixtures";

test.describe("partner sign-in", () => {
  test("an anonymous visit to a partner page redirects to sign-in", async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("a wrong password shows an error and stays on sign-in", async ({ page }) => {
    const f = fixtures();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(f.nepa.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in/);
    await page.screenshot({ path: "test-results/screens/sign-in-error.png", fullPage: true });
  });

  test("the demo partner signs in, sees a dashboard in its brand colour, and signs out", async ({ page }) => {
    const f = fixtures();
    await page.goto("/dashboard");
    await page.getByLabel("Email").fill(f.nepa.email);
    await page.getByLabel("Password").fill(f.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("brand-name")).toHaveText("NEPA IT Solutions");
    await expect(page.getByTestId("brand-bar")).toHaveCSS("background-color", "rgb(37, 99, 235)");
    await expect(page.getByTestId("user-email")).toHaveText(f.nepa.email);
    await expect(page.getByTestId("stat-sites")).toHaveText(/^\d+$/);
    await page.screenshot({ path: "test-results/screens/dashboard.png", fullPage: true });

    // Signing out lands on the partner's own sign-in, in its name, not OsirisCare's plain page.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?partner=${f.nepa.slug}$`));
    await expect(page.getByTestId("sign-in-brand")).toHaveText("NEPA IT Solutions");
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?next=/);
  });

  test("another partner sees its own brand, not NEPA's", async ({ page }) => {
    const f = fixtures();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(f.other.email);
    await page.getByLabel("Password").fill(f.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("brand-name")).toHaveText("Other MSP");
    await expect(page.getByTestId("brand-bar")).toHaveCSS("background-color", "rgb(5, 150, 105)");
  });

  test("/<slug>/sign-in shows the partner's name and colour, signs in there and returns to `next`", async ({
    page,
  }) => {
    const f = fixtures();
    const res = await page.goto(`/${f.nepa.slug}/sign-in?next=${encodeURIComponent("/alerts?read=unread")}`);
    expect(res?.status()).toBe(200);
    await expect(page).toHaveTitle("Sign in · NEPA IT Solutions");
    const bar = page.getByTestId("sign-in-brand");
    await expect(bar).toHaveText("NEPA IT Solutions");
    await expect(bar).toHaveCSS("background-color", "rgb(37, 99, 235)");
    await expect(page.getByRole("button", { name: "Sign in" })).toHaveCSS("background-color", "rgb(37, 99, 235)");
    await expect(page.getByTestId("sign-in-product")).toHaveText("NEPA IT Solutions console");
    await page.screenshot({ path: "test-results/screens/sign-in-slug.png", fullPage: true });

    await page.getByLabel("Email").fill(f.nepa.email);
    await page.getByLabel("Password").fill(f.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/alerts\?read=unread$/);
    await expect(page.getByTestId("brand-name")).toHaveText("NEPA IT Solutions");
  });

  test("/<slug>/sign-in with an unknown slug is the plain sign-in; pages and next stay safe", async ({ page }) => {
    const f = fixtures();
    // Unknown, or a route's own name: the plain page, 200, nothing about partners.
    for (const slug of ["no-such-partner", "dashboard", "admin"]) {
      const res = await page.goto(`/${slug}/sign-in`);
      expect(res?.status(), slug).toBe(200);
      await expect(page.getByTestId("sign-in-brand")).toHaveCount(0);
      await expect(page.getByTestId("sign-in-product")).toHaveText("OsirisCare Central Command");
    }
    // The other partner's slug brands with its colour; a `partner` in the query does not override the path.
    await page.goto(`/${f.other.slug}/sign-in?partner=${f.nepa.slug}`);
    await expect(page.getByTestId("sign-in-brand")).toHaveText("Other MSP");
    await expect(page.getByTestId("sign-in-brand")).toHaveCSS("background-color", "rgb(5, 150, 105)");
    // The route never hides the app's own: the API and the invite page answer as before.
    const api = await page.request.get("/api/sign-in");
    expect(api.headers()["content-type"]).toContain("application/json");
    const invite = await page.goto("/invite/sign-in");
    expect(invite?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  });
});
