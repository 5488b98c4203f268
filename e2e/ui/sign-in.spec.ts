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

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
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
});
