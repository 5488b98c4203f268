/**
 * Issue 9's "Done means", tried as a new user would: provision, let the appliance discover the test domain,
 * enter one credential, and watch the compliance matrix of the discovered servers fill in the browser; then a
 * control flipped on one server drifts, and the partner is alerted.
 *
 * Everything is real but Windows: the Samba AD DC, the appliance daemon (`osiris-appliance run`, a child
 * process), the production server and worker, Chromium. The four servers of the directory are played by the
 * WinRM double (NTLM with message encryption, the real check script answered from each host's state): the
 * appliance runs in its own mount namespace whose resolv.conf names the DC's DNS (as a clinic's DHCP would)
 * and whose /etc/hosts points the member servers at the double's addresses; the DC's own name resolves through
 * its DNS to its address, where the double also listens on WinRM's port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect as baseExpect, test } from "@playwright/test";
import { parse } from "yaml";
import { ensureTestDc, stopTestDc, type TestDc } from "../../tests/support/samba-dc/samba-dc";
import { type ControlOverrides, complianceResponder } from "../../tests/support/winrm-double/compliance-responder";
import { startWinRmDouble, type WinRmDouble } from "../../tests/support/winrm-double/server";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

const expect = baseExpect.configure({ timeout: 20_000 });
const POLL_S = 2;

let dc: TestDc;
let double: WinRmDouble | undefined;
let daemon: (ChildProcess & { output: () => string }) | undefined;
const overrides = new Map<string, ControlOverrides>();

/** Member servers of the fixture directory and where the double serves them (the DC is on its own address). */
const MEMBERS = { fs01: "127.0.0.72", sql01: "127.0.0.73", app01: "127.0.0.74" } as const;

test.beforeAll(async () => {
  dc = await ensureTestDc();
  const dcShort = dc.hostname.split(".")[0] ?? "dc1";
  double = await startWinRmDouble({
    hosts: [
      { name: `${dcShort}.${dc.domain}`, address: dc.ip, port: 5985 },
      ...Object.entries(MEMBERS).map(([name, address]) => ({ name: `${name}.${dc.domain}`, address, port: 5985 })),
    ],
    accounts: [{ domain: "CLINIC", user: "Administrator", password: dc.adminPassword }],
    netbiosDomain: "CLINIC",
    dnsDomain: dc.domain,
    checkScriptResponder: complianceResponder((host) => overrides.get(host) ?? {}),
  });
});

test.afterAll(async () => {
  daemon?.kill("SIGTERM");
  await double?.close();
  if (dc && dc.startedFrom !== "running") stopTestDc(dc.dir);
});

function runApplianceOnClinicNetwork(dir: string): ChildProcess & { output: () => string } {
  const net = mkdtempSync(path.join(tmpdir(), "osiris-clinic-net-"));
  const resolv = path.join(net, "resolv.conf");
  const hosts = path.join(net, "hosts");
  writeFileSync(resolv, `search ${dc.domain}\nnameserver ${dc.ip}\noptions timeout:2 attempts:2\n`);
  writeFileSync(
    hosts,
    `127.0.0.1 localhost\n${Object.entries(MEMBERS)
      .map(([name, address]) => `${address} ${name}.${dc.domain} ${name}`)
      .join("\n")}\n`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, OSIRIS_POLL_INTERVAL_S: String(POLL_S) };
  delete env.OSIRIS_DNS_SERVERS;
  const child = spawn(
    "unshare",
    [
      "--mount",
      "--",
      "sh",
      "-c",
      'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"',
      "sh",
      resolv,
      hosts,
      process.execPath,
      "--import",
      "tsx",
      "appliance/src/main.ts",
      "run",
      "--state-dir",
      dir,
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  return Object.assign(child, { output: () => output });
}

test("one credential in the browser; the compliance matrix of the discovered servers fills; a flipped firewall drifts and alerts", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const f = fixtures();
  const client = `Riverside Clinic ${Date.now().toString(36)}`;

  await page.goto("/provision-codes");
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/provision-codes$/);
  await page.getByLabel("Clinic (client name)").fill(client);
  await page.getByRole("button", { name: "Create code" }).click();
  const code = (await page.getByTestId("code-value").getAttribute("data-code")) ?? "";
  const dir = stateDir();
  const provisioned = appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]);
  expect(provisioned.code, provisioned.stderr).toBe(0);
  daemon = runApplianceOnClinicNetwork(dir);

  // This site's own "domain discovered" alert (other specs' sites may have found the same test domain).
  const siteId = (parse(readFileSync(path.join(dir, "config.yaml"), "utf8")) as { site_id: string }).site_id;
  const partner = { authorization: `Bearer ${f.nepa.token}` };
  await expect
    .poll(
      async () => {
        const feed = (await (
          await page.request.get("/api/partners/me/notifications", { headers: partner })
        ).json()) as {
          notifications: Array<{ type: string; site_id: string | null }>;
        };
        return feed.notifications.some((n) => n.type === "domain_discovered" && n.site_id === siteId);
      },
      { timeout: 60_000, message: "the domain-discovered alert of this site" },
    )
    .toBe(true);
  await page.goto("/dashboard");
  await page
    .locator(`a[href^="/sites/${siteId}"]`)
    .filter({ hasText: /clinic\.test/i })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/sites/${siteId}#domain-credential$`));

  const ad = page.locator("#domain-credential");
  const form = ad.getByTestId("domain-credential-form");
  await form.getByLabel("Username").fill("Administrator");
  await form.getByLabel("Password").fill(dc.adminPassword);
  const savedAt = Date.now();
  await form.getByRole("button", { name: "Save and enumerate" }).click();
  await expect(ad.getByTestId("enumeration-status")).toHaveText("Merged", { timeout: 60_000 });

  // The matrix fills without a reload: four servers, six controls each, all passing.
  const matrix = page.locator("#compliance");
  const hostNames = [dc.hostname.split(".")[0] ?? "dc1", ...Object.keys(MEMBERS)].map((h) => `${h}.${dc.domain}`);
  const row = (host: string) => matrix.locator(`[data-testid="compliance-row"][data-host="${host}"]`);
  const cells = (host: string, status: string) => row(host).getByTestId("compliance-cell").filter({ hasText: status });
  for (const host of hostNames) {
    await expect(cells(host, "Pass"), `${host}'s six controls in the matrix`).toHaveCount(6, { timeout: 30_000 });
  }
  const firstResults = Date.now() - savedAt;
  // Expected: ≤ 2 poll intervals (the enumeration flag, then the scan flag, each waits for a check-in) + the
  // enumeration and the scan themselves + ~2 s of outbox relay + the matrix's 5 s refresh.
  test.info().annotations.push({
    type: "credential saved → first compliance results shown",
    description: `${firstResults} ms at a ${POLL_S} s poll interval`,
  });
  process.stdout.write(`[compliance-live] credential saved → matrix filled: ${firstResults} ms (poll ${POLL_S} s)\n`);
  const fs01 = `fs01.${dc.domain}`;
  await expect(cells(fs01, "Fail")).toHaveCount(0);
  await expectAccessible(page, "the site page with the compliance matrix");
  await page.screenshot({ path: "test-results/screens/compliance-live-matrix.png", fullPage: true });

  // Someone turns fs01's firewall off; the partner asks for a scan; the drift arrives and the partner is told.
  overrides.set(`fs01.${dc.domain}`, { firewall: "fail" });
  await page.getByRole("button", { name: "Scan now" }).first().click();
  await expect(cells(fs01, "Fail")).toHaveCount(1, { timeout: 60_000 });
  await expect(cells(fs01, "Pass")).toHaveCount(5);
  await expect(page.getByTestId("compliance-drift")).toContainText(fs01);
  await page.goto("/dashboard");
  await expect(page.getByText(new RegExp(`fs01\\.${dc.domain.replace(".", "\\.")}`)).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/compliance-live-alert.png", fullPage: true });

  expect(daemon.output()).not.toContain(dc.adminPassword);
  const stats = double?.stats(`fs01.${dc.domain}`);
  expect(stats?.refusedUnencrypted).toBe(0);
  expect(stats?.logins).toBeGreaterThan(0);
});
