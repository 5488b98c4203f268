/**
 * A DC's certificate changed, in Chromium against the production build and the real worker: the appliance's
 * report (played over its REST endpoint with a real appliance key) stops enumeration; the partner admin follows
 * the alert to the site, compares the new fingerprint with the old one, accepts it in a confirmation dialog
 * (focus on Cancel when it opens, back on the button when dismissed, on the outcome after accepting), and the
 * appliance's next check-in carries trigger_enumeration.
 */
import { expect as baseExpect, type Page, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { claimSite } from "../directory";
import { fixtures } from "../fixtures";

const expect = baseExpect.configure({ timeout: 15_000 });

const DOMAIN = "certs.e2e";
const DC = "dc01.certs.e2e";
const fingerprint = (seed: number) =>
  Array.from({ length: 32 }, (_, i) => ((i * seed + 16) % 240) + 16)
    .map((b) => b.toString(16).toUpperCase())
    .join(":");
const OLD = fingerprint(5);
const NEW = fingerprint(11);

async function noOverflow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

test("partner admin: a changed DC certificate → alert → compare → accept → the appliance enumerates again", async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = fixtures();
  const a = await claimSite(request, f.nepa.token);
  const partner = { authorization: `Bearer ${f.nepa.token}` };
  const certificate = (sha256: string) => ({ sha256, subject: `CN=${DC}`, issuer: "CN=Certs Issuing CA" });

  // Discovery reports the certificate; the partner enters the credential, accepting its fingerprint.
  const discovered = await request.post("/api/appliances/domain-discovered", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      domain: DOMAIN,
      domain_controllers: [{ hostname: DC, port: 389, priority: 0, weight: 100, certificate: certificate(OLD) }],
    },
  });
  expect(discovered.status()).toBe(200);
  const credential = await request.post(`/api/sites/${a.site_id}/domain-credentials`, {
    headers: partner,
    data: { domain: DOMAIN, username: "osiris-svc", password: "Certs-Admin-2026!", accept_certificates: [OLD] },
  });
  expect(credential.status()).toBe(201);
  const checkin = async () => {
    const res = await request.post("/api/appliances/checkin", {
      headers: a.auth,
      data: { appliance_id: a.appliance_id },
    });
    expect(res.status()).toBe(200);
    return (await res.json()) as { trigger_enumeration: boolean };
  };
  await expect.poll(async () => (await checkin()).trigger_enumeration, { timeout: 30_000 }).toBe(true);

  // The DC now presents another certificate: the appliance stops and says so.
  const failed = await request.post("/api/appliances/enumeration-failed", {
    headers: a.auth,
    data: {
      appliance_id: a.appliance_id,
      domain: DOMAIN,
      code: "certificate_changed",
      error: `The certificate of the domain controller ${DC} changed: it now presents SHA-256 ${NEW}, but the pinned certificate is ${OLD}.`,
      certificate: { hostname: DC, ...certificate(NEW), previous_sha256: OLD },
    },
  });
  expect(failed.status()).toBe(200);

  // The alert's call to action opens the site at the certificates.
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await context.newPage();
  await admin.goto("/dashboard");
  await admin.getByLabel("Email").fill(f.nepa.email);
  await admin.getByLabel("Password").fill(f.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await expect(admin).toHaveURL(/\/dashboard$/);
  await admin
    .locator(`a[href="/sites/${encodeURIComponent(a.site_id)}#dc-certificates"]`)
    .first()
    .click();
  await expect(admin).toHaveURL(/#dc-certificates$/);
  const item = admin.getByTestId("dc-certificate").filter({ hasText: DC });
  await expect(item).toContainText("changed: enumeration stops until you accept it");
  await expect(item).toContainText(NEW);
  await expect(item).toContainText(`Previously trusted:${OLD}`);
  await expectAccessible(admin, "the site page with a changed DC certificate");

  // The dialog: focus on Cancel, Escape closes it and focus returns to the button.
  const open = item.getByRole("button", { name: "Accept certificate" });
  await open.click();
  const dialog = admin.getByRole("dialog", { name: `Trust the certificate of ${DC}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(NEW);
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectAccessible(admin, "the accept-certificate dialog");
  for (const size of [
    { name: "desktop", width: 1366, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    await admin.setViewportSize(size);
    await noOverflow(admin, size.width);
    await admin.screenshot({ path: `test-results/screens/dc-certificate-accept-${size.name}.png` });
  }
  await admin.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // Accepting: trusted, the outcome has the focus, and the appliance is asked to enumerate again.
  await open.click();
  await dialog.getByRole("button", { name: "Accept", exact: true }).click();
  await expect(dialog).toBeHidden();
  const outcome = admin.getByTestId("dc-certificate-accepted");
  await expect(outcome).toHaveText(`Accepted the certificate of ${DC}; the appliance enumerates again with it.`);
  await expect(outcome).toBeFocused();
  await expect(item).toContainText("trusted");
  await expect(item.getByRole("button", { name: "Accept certificate" })).toHaveCount(0);
  await admin.screenshot({ path: "test-results/screens/dc-certificate-accepted-phone.png", fullPage: true });
  await expectAccessible(admin, "the site page after accepting");
  await expect.poll(async () => (await checkin()).trigger_enumeration, { timeout: 30_000 }).toBe(true);
  const list = await request.get(`/api/partners/me/sites/${a.site_id}/domain-controllers`, { headers: partner });
  expect(list.status()).toBe(200);
  expect(await list.json()).toMatchObject({
    domain_controllers: [{ hostname: DC, presented: { sha256: NEW, status: "trusted" }, trusted: { sha256: NEW } }],
  });
  await context.close();
});
