import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { deriveApplianceKeys } from "../../appliance/src/crypto/appliance-key";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { fixtures } from "../fixtures";

const DESKTOP = { width: 1366, height: 900 };

const PHONE = { width: 390, height: 844 };

async function signIn(page: Page, next: string, email: string) {
  await page.goto(next);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(fixtures().password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A site with a provisioned appliance (the real CLI) and one credential, made over REST with the full token. */
async function siteWithCredential(request: import("@playwright/test").APIRequestContext, clientName: string) {
  const auth = { authorization: `Bearer ${fixtures().nepa.token}` };
  const { code } = (await (
    await request.post("/api/partners/me/provision-codes", { data: { client_name: clientName }, headers: auth })
  ).json()) as { code: string };
  const dir = stateDir();
  expect(appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]).code).toBe(0);
  const config = parse(readFileSync(path.join(dir, "config.yaml"), "utf8")) as {
    site_id: string;
    appliance_id: string;
    appliance_secret: string;
  };
  const created = await request.post(`/api/partners/me/sites/${config.site_id}/credentials`, {
    headers: auth,
    data: {
      credential_type: "winrm",
      credential_name: "File server",
      host: "fs01.roles.local",
      username: "svc-osiris",
      password: "Winter2026!roles",
    },
  });
  expect(created.status()).toBe(201);
  return config;
}

test("a technician sees credentials but no Add, Edit, Delete, Revoke or API tokens; the server refuses too", async ({
  page,
  request,
}) => {
  const f = fixtures();
  const site = await siteWithCredential(request, "Birch Street Clinic");
  await page.setViewportSize(DESKTOP);
  await signIn(page, `/sites/${site.site_id}`, f.nepa.techEmail);
  await expect(page.getByRole("heading", { name: "Birch Street Clinic" })).toBeVisible();
  await expect(page.getByTestId("credential-row")).toContainText("fs01.roles.local");
  await expect(page.getByTestId("appliance-row")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Scan now" }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Add credential" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/site-technician.png", fullPage: true });

  // The server refuses regardless of the UI: a tRPC call from the technician's session is 403.
  const refused = await page.request.post("/api/trpc/sites.deleteCredential", {
    data: { siteId: site.site_id, credentialId: "any" },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("Only a partner admin");

  await page.goto("/api-tokens");
  await expect(page.getByTestId("admin-only")).toBeVisible();
  await expect(page.getByTestId("token-form")).toHaveCount(0);
});

// One test, one sign-in: the sign-in limit counts every e2e sign-in from 127.0.0.1 (see the report).
test("a partner admin creates a read token (shown once) and revokes it, and revokes an appliance", async ({
  page,
  request,
}) => {
  test.setTimeout(60_000); // two features, and the appliance CLI provisions a box
  const f = fixtures();
  await page.setViewportSize(DESKTOP);
  await signIn(page, "/dashboard", f.nepa.email);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();

  const name = `Grafana ${Date.now()}`;
  const form = page.getByTestId("token-form");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Scope").selectOption("read");
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("token-value");
  await expect(shown).toBeVisible();
  const token = (await shown.getAttribute("data-token")) ?? "";
  expect(token).toMatch(/^occ_pat_/);
  await expect(page.getByRole("button", { name: "Copy" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/api-tokens-created.png", fullPage: true });

  const bearer = { authorization: `Bearer ${token}` };
  expect((await request.get("/api/partners/me", { headers: bearer })).status()).toBe(200);
  const write = await request.post("/api/partners/me/provision-codes", { headers: bearer, data: { client_name: "X" } });
  expect(write.status()).toBe(403);

  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("token-value")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  const row = page.getByTestId("token-row").filter({ hasText: name });
  await expect(row).toContainText("read");
  await expect(row.getByTestId("token-state")).toHaveText("active");
  await page.screenshot({ path: "test-results/screens/api-tokens.png", fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: "test-results/screens/api-tokens-phone.png", fullPage: true });
  await page.setViewportSize(DESKTOP);

  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByTestId("token-state")).toHaveText("revoked");
  expect((await request.get("/api/partners/me", { headers: bearer })).status()).toBe(401);

  // Revoking an appliance from the site page: it shows Revoked and its key gets 401.
  const site = await siteWithCredential(request, "Cedar Clinic");
  const checkin = () =>
    request.post("/api/appliances/checkin", {
      data: { appliance_id: site.appliance_id },
      headers: { authorization: `Bearer ${deriveApplianceKeys(site.appliance_secret).apiKey}` },
    });
  expect((await checkin()).status()).toBe(200);

  await page.setViewportSize(DESKTOP);
  await page.goto(`/sites/${site.site_id}`);
  await expect(page.getByRole("heading", { name: "Cedar Clinic" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add credential" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit" })).toBeVisible();

  let message = "";
  page.once("dialog", (dialog) => {
    message = dialog.message();
    void dialog.accept();
  });
  await page.getByTestId("appliance-row").getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("appliance-status")).toHaveText("Revoked");
  expect(message).toContain("Revoke");
  await expect(page.getByTestId("appliance-revoked-by")).toContainText(f.nepa.email);
  await page.screenshot({ path: "test-results/screens/site-appliance-revoked.png", fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: "test-results/screens/site-appliance-revoked-phone.png", fullPage: true });

  const refused = await checkin();
  expect(refused.status()).toBe(401);
  expect(await refused.text()).toContain("revoked");
  expect(await refused.text()).not.toContain("Winter2026!roles");
});
