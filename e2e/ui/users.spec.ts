import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "../axe";
import { fixtures } from "../fixtures";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const INVITEE_PASSWORD = "invitee chose this passphrase";

async function expectNoOverflow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

/** Full-page screenshots at both widths, for people to look at (test-results/screens/). */
async function screens(page: Page, name: string) {
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await expectNoOverflow(page, viewport.width);
    await page.screenshot({ path: `test-results/screens/${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

// One admin sign-in and one invitee sign-in: the e2e sign-ins share one client IP (see roles.spec.ts).
test("an admin invites a technician, who sets a password and signs in; promoted, then removed and signed out at once", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const f = fixtures();
  const email = `newtech-${Date.now()}@nepa-it.example`;

  const adminContext = await browser.newContext({ viewport: DESKTOP });
  const admin = await adminContext.newPage();
  await admin.goto("/users");
  await admin.getByLabel("Email").fill(f.nepa.email);
  await admin.getByLabel("Password").fill(f.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(admin.getByTestId("user-row").first()).toBeVisible();
  await expectAccessible(admin, "the users page (admin)");

  // Invite: the link is shown once, with Copy.
  const form = admin.getByTestId("invite-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Nina Newtech");
  await form.getByLabel("Role").selectOption("partner_technician");
  await form.getByRole("button", { name: "Invite" }).click();
  const shown = admin.getByTestId("invite-url");
  await expect(shown).toBeVisible();
  const inviteUrl = (await shown.getAttribute("data-url")) ?? "";
  expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(admin.getByRole("button", { name: "Copy" })).toBeVisible();
  await expectAccessible(admin, "the users page with a fresh invite link");
  await screens(admin, "users-invited");
  await admin.getByRole("button", { name: "Done" }).click();
  await expect(admin.getByTestId("invite-url")).toHaveCount(0);
  expect(await admin.content()).not.toContain(inviteUrl);
  const row = admin.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await expect(row.getByTestId("user-status")).toHaveText("invited");

  // Inviting the same email again is refused: the email field is marked invalid, described by the reason,
  // and takes the focus.
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Nina Again");
  await form.getByRole("button", { name: "Invite" }).click();
  await expect(form.getByRole("alert")).toContainText("already exists");
  const emailField = form.getByLabel("Email");
  await expect(emailField).toHaveAttribute("aria-invalid", "true");
  await expect(emailField).toHaveAccessibleDescription(/already exists/);
  await expect(emailField).toBeFocused();
  await expect(form.getByLabel("Name")).not.toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Email").fill("");
  await form.getByLabel("Name").fill("");

  // Search runs on the server: only the invitee matches.
  await admin.getByLabel("Search").fill("nina newtech");
  await expect(admin.getByTestId("user-row")).toHaveCount(1);
  await expect(admin.getByTestId("users-range")).toHaveText("1–1 of 1");
  await admin.getByLabel("Search").fill("nobody-by-this-name");
  await expect(admin.getByTestId("users-empty")).toContainText("No user matches");
  await admin.getByLabel("Search").fill("");
  await expect(row).toBeVisible();
  await screens(admin, "users");

  // The invitee, in a browser of their own.
  const inviteeContext = await browser.newContext({ viewport: DESKTOP });
  const invitee = await inviteeContext.newPage();
  await invitee.goto(inviteUrl);
  await expect(invitee.getByRole("heading", { name: "Welcome to NEPA IT Solutions" })).toBeVisible();
  await expect(invitee.getByLabel("Email")).toHaveValue(email);
  await expectAccessible(invitee, "the invite page");
  await screens(invitee, "invite");
  await invitee.getByLabel("New password").fill(INVITEE_PASSWORD);
  await invitee.getByLabel("Repeat the password").fill("something else entirely");
  await invitee.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(invitee.getByTestId("invite-error")).toContainText("differ");
  // The error is tied to the field to fix, which takes the focus.
  const repeat = invitee.getByLabel("Repeat the password");
  await expect(repeat).toHaveAttribute("aria-invalid", "true");
  await expect(repeat).toHaveAccessibleDescription(/differ/);
  await expect(repeat).toBeFocused();
  await expect(invitee.getByLabel("New password")).not.toHaveAttribute("aria-invalid", "true");
  await invitee.getByLabel("Repeat the password").fill(INVITEE_PASSWORD);
  await invitee.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(invitee).toHaveURL(/\/dashboard$/);
  await expect(invitee.getByTestId("user-email")).toHaveText(email);

  // A technician sees the team read-only.
  await invitee.goto("/users");
  await expect(invitee.locator(`[data-testid="user-row"][data-email="${f.nepa.email}"]`)).toBeVisible();
  await expect(invitee.getByTestId("invite-form")).toHaveCount(0);
  await expect(invitee.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await expect(invitee.getByRole("combobox")).toHaveCount(0);
  await expectAccessible(invitee, "the users page (technician)");
  await screens(invitee, "users-technician");

  // The link was single use.
  const reuse = await browser.newContext();
  const again = await reuse.newPage();
  await again.goto(inviteUrl);
  await expect(again.getByTestId("invite-problem")).toContainText("already been used");
  await again.screenshot({ path: "test-results/screens/invite-used.png", fullPage: true });
  await reuse.close();

  // The admin promotes them: on their next page they get the admin controls.
  await admin.reload();
  await expect(row.getByTestId("user-status")).toHaveText("active");
  await row.getByLabel("Role of Nina Newtech").selectOption("partner_admin");
  await expect(row.getByLabel("Role of Nina Newtech")).toHaveValue("partner_admin");
  await invitee.reload();
  await expect(invitee.getByTestId("invite-form")).toBeVisible();
  await expect(invitee.getByRole("link", { name: "API tokens" })).toBeVisible();

  // The admin cannot remove themselves: their own row has no Remove.
  const own = admin.locator(`[data-testid="user-row"][data-email="${f.nepa.email}"]`);
  await expect(own.getByRole("button", { name: "Remove" })).toHaveCount(0);

  // Remove: the removed user is signed out at once.
  let question = "";
  admin.once("dialog", (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(row).toHaveCount(0);
  expect(question).toContain(email);
  const refused = await invitee.request.get("/api/trpc/users.list");
  expect(refused.status()).toBe(401);
  await invitee.goto("/dashboard");
  await expect(invitee).toHaveURL(/\/sign-in/);

  await adminContext.close();
  await inviteeContext.close();
});

test("an unknown link says what to do (expired and used links: user-invites.int.test.ts and above)", async ({
  page,
}) => {
  await page.goto(`/invite/${"x".repeat(43)}`);
  await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  await expect(page.getByTestId("invite-problem")).toContainText("ask your partner admin for a new one");
  await expect(page.getByRole("link", { name: "Go to sign-in" })).toBeVisible();
  await expectAccessible(page, "the invite page for an unknown link");
});
