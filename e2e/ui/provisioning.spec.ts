import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { API_ENDPOINT, appliance, startAppliance, stateDir } from "../appliance";
import { fixtures } from "../fixtures";

let agent: ChildProcess | undefined;
test.afterEach(() => {
  agent?.kill("SIGTERM");
});

test("a partner creates a code, an appliance claims it, and the page shows it provisioned without a reload", async ({
  page,
  context,
}) => {
  const f = fixtures();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/provision-codes");
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/provision-codes$/);

  await page.getByLabel("Clinic (client name)").fill("Riverside Pediatrics");
  await page.getByRole("button", { name: "Create code" }).click();
  const shown = page.getByTestId("code-value");
  await expect(shown).toBeVisible();
  const code = (await shown.getAttribute("data-code")) ?? "";
  expect(code).toMatch(/^[A-Z0-9]{16}$/);
  await expect(page.getByTestId("code-qr")).toBeVisible();
  await expect(page.getByTestId("code-qr")).toHaveAttribute("src", /^data:image\/png;base64,/);
  // Copy says it copied, and the clipboard holds the code.
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  await page.screenshot({ path: "test-results/screens/provision-code-created.png", fullPage: true });

  const row = page.locator("tr", { hasText: "Riverside Pediatrics" });
  await expect(row.getByTestId("code-state")).toHaveText("pending");

  const dir = stateDir();
  const out = appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]);
  expect(out.code, out.stderr).toBe(0);
  await expect(row.getByTestId("code-state")).toHaveText("claimed");

  // Normal operation reports "ready"; the page follows along by itself.
  agent = startAppliance(["run", "--state-dir", dir], { OSIRIS_POLL_INTERVAL_S: "1" });
  await expect(row.getByTestId("appliance-state")).toHaveText("provisioned", { timeout: 15_000 });
  await page.screenshot({ path: "test-results/screens/provision-code-claimed.png", fullPage: true });
});
