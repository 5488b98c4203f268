import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { parse } from "yaml";
import { deriveApplianceKeys } from "../../appliance/src/crypto/appliance-key";
import { unsealSecret } from "../../appliance/src/crypto/sealed-box";
import { CheckinResponse } from "../../server/contracts";
import { API_ENDPOINT, appliance, startAppliance, stateDir } from "../appliance";
import { fixtures } from "../fixtures";

const PASSWORD = "Winter2026!e2e-secret";
let agent: ReturnType<typeof startAppliance> | undefined;
test.afterEach(() => {
  agent?.kill("SIGTERM");
});

test("a credential added in the browser reaches the appliance's next check-in, and deleting it removes it", async ({
  page,
  request,
}) => {
  const f = fixtures();
  const auth = { authorization: `Bearer ${f.nepa.token}` };
  const { code } = (await (
    await request.post("/api/partners/me/provision-codes", {
      data: { client_name: "Maple Family Practice" },
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
  const keys = deriveApplianceKeys(config.appliance_secret);
  agent = startAppliance(["run", "--state-dir", dir], { OSIRIS_POLL_INTERVAL_S: "1" });

  await page.goto(`/sites/${config.site_id}`);
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Maple Family Practice" })).toBeVisible();
  await expect(page.getByTestId("appliance-status")).toHaveText("online", { timeout: 15_000 });

  await page.getByRole("button", { name: "Add credential" }).click();
  const form = page.getByTestId("credential-form");
  await form.getByLabel("Name", { exact: true }).fill("File server");
  await form.getByLabel("Host", { exact: true }).fill("fs01.maple.local");
  await form.getByLabel("Username", { exact: true }).fill("svc-osiris");
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByLabel("Domain", { exact: true }).fill("MAPLE");
  await form.getByRole("button", { name: "Add credential" }).click();
  await expect(page.getByTestId("credential-row")).toContainText("fs01.maple.local");
  await expect(page.getByTestId("credential-row")).toContainText("stored, never shown");
  expect(await page.content()).not.toContain(PASSWORD);

  // The appliance's next check-in carries it, sealed to the appliance's key.
  const checkin = async () =>
    CheckinResponse.parse(
      await (
        await request.post("/api/appliances/checkin", {
          data: { appliance_id: config.appliance_id },
          headers: { authorization: `Bearer ${keys.apiKey}` },
        })
      ).json(),
    );
  const carried = await checkin();
  expect(carried.windows_targets).toHaveLength(1);
  const [target] = carried.windows_targets;
  expect(target).toMatchObject({
    hostname: "fs01.maple.local",
    username: "MAPLE\\svc-osiris",
    port: 5985,
    transport: "ntlm",
  });
  // Only the appliance's own root secret opens it, and only for this appliance, credential, host and user.
  const binding = {
    applianceId: config.appliance_id,
    credentialId: target?.credential_id ?? "",
    hostname: "fs01.maple.local",
    username: "MAPLE\\svc-osiris",
  };
  expect(unsealSecret(target?.sealed_password ?? "", keys.keyPair.privateKey, binding)).toBe(PASSWORD);
  expect(() =>
    unsealSecret(target?.sealed_password ?? "", keys.keyPair.privateKey, { ...binding, hostname: "evil.example" }),
  ).toThrow();

  await expect(page.getByTestId("access-log")).toContainText("File server", { timeout: 15_000 });
  // One row per appliance · credential · hour, counting the check-ins (every second here).
  await expect(async () => {
    const times = await page.getByTestId("access-row").first().locator("td").last().textContent();
    expect(Number(times)).toBeGreaterThan(1);
  }).toPass({ timeout: 15_000 });
  // The same log over REST, for the partner's scripts.
  const access = (await (
    await request.get(`/api/partners/me/sites/${config.site_id}/credential-access?limit=10`, { headers: auth })
  ).json()) as { access: Array<{ appliance_id: string; count: number }>; next_cursor: string | null };
  expect(access.access[0]?.appliance_id).toBe(config.appliance_id);
  expect(access.access[0]?.count).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/screens/site-credentials.png", fullPage: true });

  // Editing: pointing the credential at another host asks for its password before Save, not after.
  await page.getByRole("button", { name: /^Edit/ }).click();
  const edit = page.getByTestId("credential-form");
  await expect(edit.getByTestId("password-needed")).toHaveCount(0);
  await edit.getByLabel("Host", { exact: true }).fill("fs02.maple.local");
  await expect(edit.getByTestId("password-needed")).toBeVisible();
  await expect(edit.getByLabel("Password", { exact: true })).toHaveAttribute("required", "");
  await edit.getByRole("button", { name: "Cancel" }).click();
  // A rename keeps the stored password (no password typed) and saves through sites.updateCredential.
  await page.getByRole("button", { name: /^Edit/ }).click();
  await edit.getByLabel("Name", { exact: true }).fill("File server (main)");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("credential-row")).toContainText("File server (main)");
  await expect(page.getByTestId("credential-row")).toContainText("fs01.maple.local");

  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("credential-row")).toHaveCount(0);
  expect((await checkin()).windows_targets).toEqual([]);

  // The running daemon never wrote the password to its state dir or its output.
  agent.kill("SIGTERM");
  await new Promise((r) => agent?.once("exit", r));
  expect(agent.output()).not.toContain(PASSWORD);

  // An appliance that cannot use a target says so at its next check-in, and the site page shows it.
  await request.post("/api/appliances/checkin", {
    data: {
      appliance_id: config.appliance_id,
      unusable_targets: [{ hostname: "fs01.maple.local", reason: "the sealed password did not open" }],
    },
    headers: { authorization: `Bearer ${keys.apiKey}` },
  });
  await page.reload();
  await expect(page.getByTestId("appliance-unusable")).toContainText(
    "fs01.maple.local: the sealed password did not open",
  );
  await page.screenshot({ path: "test-results/screens/site-unusable-target.png", fullPage: true });
  // Every file under the state dir, the outbox's journal included.
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const full = path.join(dir, file);
    if (statSync(full).isFile()) expect(readFileSync(full, "utf8")).not.toContain(PASSWORD);
  }
});
