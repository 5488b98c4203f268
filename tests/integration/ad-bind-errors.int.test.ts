/**
 * The sign-in errors a partner can act on, produced by a real Samba AD DC: AD's data codes of LDAP result 49
 * (wrong password, locked, disabled, expired, must change password), and a DC that offers no TLS.
 * Every message names the DC and the account, and never contains the password.
 */
import { randomBytes } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { Secret } from "@/appliance/src/crypto/secret";
import { DirectoryError } from "@/appliance/src/directory/directory-error";
import { type EnumerateDomainOptions, enumerateDomain } from "@/appliance/src/directory/enumeration/enumerate-domain";
import { createDirectoryDns } from "@/appliance/src/directory/net/directory-dns";
import {
  createUser,
  disableAccount,
  expireAccount,
  lockAccount,
  requirePasswordChange,
  setUserPassword,
} from "../support/samba-dc/directory-admin";
import { ensureTestDc, type TestDc } from "../support/samba-dc/samba-dc";

let dc: TestDc;
const PASSWORD = "Bind-Passw0rd!";

beforeAll(async () => {
  dc = await ensureTestDc();
  console.info(`test DC ${dc.ip}: ${dc.startedFrom} in ${Math.round(dc.startMs)} ms`);
});

/** A fresh user (a short random suffix: sAMAccountName allows 20 characters). */
async function freshUser(prefix: string): Promise<string> {
  const sam = `${prefix}-${randomBytes(3).toString("hex")}`;
  await createUser(dc, sam, PASSWORD);
  return sam;
}

async function signInError(
  sam: string,
  password = PASSWORD,
  extra: Partial<EnumerateDomainOptions> = {},
): Promise<DirectoryError> {
  const err = await enumerateDomain({
    domain: dc.domain,
    domainControllers: [{ hostname: dc.hostname }],
    username: `${sam}@${dc.domain}`,
    password: new Secret(password),
    trust: { caPem: dc.caPem },
    dns: createDirectoryDns({ servers: [dc.ip] }),
    winrm: false,
    ...extra,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DirectoryError);
  const error = err as DirectoryError;
  expect(error.message).not.toContain(password);
  expect(error.message).toContain(dc.hostname);
  return error;
}

describe("sign-in errors (real Samba AD DC)", () => {
  it("wrong password → 52e", async () => {
    const sam = await freshUser("wrongpw");
    const err = await signInError(sam, "Not-The-Passw0rd!");
    expect(err.code).toBe("wrong_password");
    expect(err.details).toMatchObject({ dc: dc.hostname, ldapCode: 49, adCode: "52e" });
    expect(err.message).toBe(
      `The domain controller ${dc.hostname} refused the sign-in: the password for ${sam}@${dc.domain} is wrong ` +
        "(AD code 52e). Check it and enter the credential again.",
    );
  });

  it("a password set by the admin signs in", async () => {
    // (Samba, like AD's OldPasswordAllowedPeriod, may still accept the previous password for a while, so only
    // the new one is asserted.)
    const sam = await freshUser("changed");
    await setUserPassword(dc, sam, "Changed-Passw0rd!");
    const result = await enumerateDomain({
      domain: dc.domain,
      domainControllers: [{ hostname: dc.hostname }],
      username: `${sam}@${dc.domain}`,
      password: new Secret("Changed-Passw0rd!"),
      trust: { caPem: dc.caPem },
      dns: createDirectoryDns({ servers: [dc.ip] }),
      winrm: false,
    });
    expect(result.partial).toBe(false);
    expect(result.servers.length).toBeGreaterThan(0);
  });

  it("locked out after too many wrong passwords → 775, even with the right password", async () => {
    const sam = await freshUser("locked");
    await lockAccount(dc, sam);
    const err = await signInError(sam);
    expect(err.code).toBe("account_locked");
    expect(err.details.adCode).toBe("775");
    expect(err.message).toContain(`the account ${sam}@${dc.domain} is locked out`);
  });

  it("disabled → 533", async () => {
    const sam = await freshUser("disabled");
    await disableAccount(dc, sam);
    const err = await signInError(sam);
    expect(err.code).toBe("account_disabled");
    expect(err.details.adCode).toBe("533");
  });

  it("account expired → 701", async () => {
    const sam = await freshUser("expired");
    await expireAccount(dc, sam);
    const err = await signInError(sam);
    expect(err.code).toBe("account_expired");
    expect(err.details.adCode).toBe("701");
  });

  it("must change password → 773", async () => {
    const sam = await freshUser("mustchg");
    await requirePasswordChange(dc, sam);
    const err = await signInError(sam);
    expect(err.code).toBe("must_change_password");
    expect(err.details.adCode).toBe("773");
  });

  it("a DC whose LDAPS port speaks no TLS (no certificate): stops with 'install a certificate', never binds in clear", async () => {
    // A Windows DC without a certificate accepts TCP on 636 and drops the TLS handshake. Samba cannot play that
    // part (with "tls enabled = no" Samba 4.17 crashes on StartTLS), so this listener on the DC's address does,
    // standing in for port 636; the bind must never be attempted.
    const sam = await freshUser("notls");
    const noTls = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => noTls.listen(0, dc.ip, resolve));
    const port = (noTls.address() as AddressInfo).port;
    try {
      const err = await signInError(sam, PASSWORD, { modes: ["ldaps"], ldapsPort: port });
      expect(err.code).toBe("no_certificate");
      expect(err.message).toContain(`The domain controller ${dc.hostname} offers no TLS (LDAPS on port ${port}:`);
      expect(err.message).toContain("Active Directory Certificate Services");
    } finally {
      await new Promise((resolve) => noTls.close(resolve));
    }
  });
});
