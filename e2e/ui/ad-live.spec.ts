/**
 * Issue 8's "Done means", tried as a new user would, with nothing played by the test: a real Samba AD DC, the
 * real appliance daemon (`osiris-appliance run`, a child process) and the production server and worker.
 *
 * The appliance is given no directory setting at all: it runs in its own mount namespace whose /etc/resolv.conf
 * says `search clinic.test` and names the DC's DNS server, as a clinic's DHCP would. It finds the domain by
 * itself; the partner follows the "domain discovered" alert in Chromium, types one credential, and the site
 * shows every server and workstation of the directory; the first scan flag then reaches the appliance with the
 * discovered servers as its Windows targets.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect as baseExpect, test } from "@playwright/test";
import { BULK_WORKSTATIONS, EXPECTED } from "../../tests/support/samba-dc/fixtures";
import { ensureTestDc, stopTestDc, type TestDc } from "../../tests/support/samba-dc/samba-dc";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

const expect = baseExpect.configure({ timeout: 20_000 });

let dc: TestDc;
let daemon: (ChildProcess & { output: () => string }) | undefined;

test.beforeAll(async () => {
  dc = await ensureTestDc();
});

test.afterAll(() => {
  daemon?.kill("SIGTERM");
  // The integration tests' teardown stops the DC they share; here the spec started it, so it stops it.
  if (dc && dc.startedFrom !== "running") stopTestDc(dc.dir);
});

/** `osiris-appliance run` in a private mount namespace whose /etc/resolv.conf points at the test domain. */
function runApplianceOnClinicNetwork(dir: string): ChildProcess & { output: () => string } {
  const resolv = path.join(mkdtempSync(path.join(tmpdir(), "osiris-clinic-net-")), "resolv.conf");
  writeFileSync(resolv, `search ${dc.domain}\nnameserver ${dc.ip}\noptions timeout:2 attempts:2\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, OSIRIS_POLL_INTERVAL_S: "2" };
  delete env.OSIRIS_DNS_SERVERS;
  const child = spawn(
    "unshare",
    [
      "--mount",
      "--",
      "sh",
      "-c",
      'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"',
      "sh",
      resolv,
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

test("the appliance finds the domain by itself; one credential in the browser; every computer shown; the first scan reaches the appliance", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const f = fixtures();
  const client = `Lakeview Clinic ${Date.now().toString(36)}`;

  // The partner creates a code; the appliance claims it.
  await page.goto("/provision-codes");
  await page.getByLabel("Email").fill(f.nepa.email);
  await page.getByLabel("Password").fill(f.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/provision-codes$/);
  await page.getByLabel("Clinic (client name)").fill(client);
  await page.getByRole("button", { name: "Create code" }).click();
  const code = (await page.getByTestId("code-value").getAttribute("data-code")) ?? "";
  expect(code).toMatch(/^[A-Z0-9]{16}$/);
  const dir = stateDir();
  const provisioned = appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]);
  expect(provisioned.code, provisioned.stderr).toBe(0);

  // Booted on the clinic's network, it discovers clinic.test on its own and the partner is told.
  daemon = runApplianceOnClinicNetwork(dir);
  await page.goto("/dashboard");
  const alert = page.getByRole("link", { name: /clinic\.test/i }).first();
  await expect(async () => {
    await page.reload();
    await expect(alert).toBeVisible({ timeout: 2_000 });
  }, "the domain-discovered alert").toPass({ timeout: 60_000 });
  await alert.click();
  await expect(page).toHaveURL(/\/sites\/[^/]+#domain-credential$/);

  const ad = page.locator("#domain-credential");
  await expect(ad.getByTestId("discovered-domain")).toContainText(dc.domain);
  await expect(ad.getByTestId("discovered-domain")).toContainText("NetBIOS CLINIC");
  await expect(ad.getByTestId("domain-controller").first()).toContainText(dc.hostname);
  // The fingerprint of the certificate the DC really presents, read by the appliance at discovery, to compare.
  const fingerprint = new X509Certificate(readFileSync(path.join(dc.dir, "private/tls/cert.pem"))).fingerprint256;
  const dcCertificate = ad.getByTestId("dc-certificate").filter({ hasText: dc.hostname });
  await expect(dcCertificate).toContainText(fingerprint);

  // One credential.
  const form = ad.getByTestId("domain-credential-form");
  await expect(form.getByLabel("Domain", { exact: true })).toHaveValue(dc.domain);
  await form.getByLabel("Username").fill("Administrator");
  await form.getByLabel("Password").fill(dc.adminPassword);
  const savedAt = Date.now();
  await form.getByRole("button", { name: "Save and enumerate" }).click();

  // Within a minute: every server and workstation of the directory, merged.
  await expect(ad.getByTestId("enumeration-status")).toHaveText("Merged", { timeout: 60_000 });
  const merged = Date.now() - savedAt;
  await expect(dcCertificate).toContainText("trusted");
  const workstations = EXPECTED.namedWorkstations.length + BULK_WORKSTATIONS;
  await expect(ad.getByTestId("enumeration-counts")).toHaveText(
    `${EXPECTED.servers.length} servers, ${workstations} workstations`,
  );
  const targets = page.locator("#targets");
  await expect(targets.getByTestId("server-row").filter({ hasText: dc.hostname })).toContainText("Domain controller");
  await expect(page.getByTestId("coverage-in-ad")).toHaveText(String(EXPECTED.servers.length + workstations));
  await expectAccessible(page, "the site page after a live enumeration");
  await page.screenshot({ path: "test-results/screens/ad-live-site.png", fullPage: true });
  test.info().annotations.push({ type: "credential saved → merged", description: `${merged} ms` });

  // The first scan flag reaches the appliance, with the discovered servers as its Windows targets.
  await expect
    .poll(() => /compliance scan \S+ started: (\d+) Windows target/.exec(daemon?.output() ?? "")?.[1], {
      timeout: 30_000,
      message: "the appliance's log shows the scan the flag started",
    })
    .toBe(String(EXPECTED.servers.length));
  expect(daemon.output()).not.toContain(dc.adminPassword);
});
