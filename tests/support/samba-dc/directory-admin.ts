/**
 * Changes to the test DC's directory that tests make, as the domain Administrator over LDAPS (verified with the
 * test CA): users with a password, locked, disabled, expired or needing a password change; computers added and
 * deleted. Each test uses its own user names, so the shared DC needs no reset between files.
 */
import { Attribute, Change, Client } from "ldapts";
import { dateToFiletime } from "@/appliance/src/directory/ldap/filetime";
import { LOCKOUT_THRESHOLD } from "./fixtures";
import type { TestDc } from "./samba-dc";

async function withAdmin<T>(dc: TestDc, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    url: `ldaps://${dc.ip}`,
    tlsOptions: { ca: [dc.caPem] },
    connectTimeout: 5000,
    timeout: 30_000,
  });
  try {
    await client.bind(dc.adminUser, dc.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => {});
  }
}

function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, "utf16le");
}

export function userDn(dc: TestDc, sam: string): string {
  return `CN=${sam},CN=Users,${dc.baseDn}`;
}

/** Creates an enabled user; returns its user principal name (sam@domain). */
export async function createUser(dc: TestDc, sam: string, password: string): Promise<string> {
  const upn = `${sam}@${dc.domain}`;
  await withAdmin(dc, (c) =>
    c.add(userDn(dc, sam), [
      new Attribute({ type: "objectClass", values: ["top", "person", "organizationalPerson", "user"] }),
      new Attribute({ type: "sAMAccountName", values: [sam] }),
      new Attribute({ type: "userPrincipalName", values: [upn] }),
      new Attribute({ type: "unicodePwd", values: [unicodePwd(password)] }),
      new Attribute({ type: "userAccountControl", values: ["512"] }),
    ]),
  );
  return upn;
}

async function replace(dc: TestDc, dn: string, type: string, values: string[] | Buffer[]): Promise<void> {
  await withAdmin(dc, (c) =>
    c.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type, values }) })),
  );
}

export async function setUserPassword(dc: TestDc, sam: string, password: string): Promise<void> {
  await replace(dc, userDn(dc, sam), "unicodePwd", [unicodePwd(password)]);
}

/** NORMAL_ACCOUNT + ACCOUNTDISABLE. */
export async function disableAccount(dc: TestDc, sam: string): Promise<void> {
  await replace(dc, userDn(dc, sam), "userAccountControl", ["514"]);
}

/** An account expiry date in the past. */
export async function expireAccount(dc: TestDc, sam: string): Promise<void> {
  await replace(dc, userDn(dc, sam), "accountExpires", [dateToFiletime(new Date("2020-01-01T00:00:00Z"))]);
}

/** "User must change password at next logon". */
export async function requirePasswordChange(dc: TestDc, sam: string): Promise<void> {
  await replace(dc, userDn(dc, sam), "pwdLastSet", ["0"]);
}

/** Locks the account the way it happens: LOCKOUT_THRESHOLD binds with a wrong password. */
export async function lockAccount(dc: TestDc, sam: string): Promise<void> {
  for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
    const client = new Client({ url: `ldaps://${dc.ip}`, tlsOptions: { ca: [dc.caPem] }, timeout: 10_000 });
    await client.bind(`${sam}@${dc.domain}`, "not-the-password-1!").catch(() => {});
    await client.unbind().catch(() => {});
  }
}

export interface NewComputer {
  cn: string;
  /** Relative to the base DN, e.g. "OU=Servers". */
  container: string;
  os: string;
  osVersion?: string;
  userAccountControl?: number;
}

/** Adds a computer object; returns its DN. */
export async function addComputer(dc: TestDc, computer: NewComputer): Promise<string> {
  const dn = `CN=${computer.cn},${computer.container},${dc.baseDn}`;
  await withAdmin(dc, (c) =>
    c.add(dn, {
      objectClass: ["top", "person", "organizationalPerson", "user", "computer"],
      sAMAccountName: `${computer.cn}$`,
      userAccountControl: String(computer.userAccountControl ?? 4096),
      dNSHostName: `${computer.cn.toLowerCase()}.${dc.domain}`,
      operatingSystem: computer.os,
      operatingSystemVersion: computer.osVersion ?? "10.0 (20348)",
    }),
  );
  return dn;
}

export async function deleteComputer(dc: TestDc, dn: string): Promise<void> {
  await withAdmin(dc, (c) => c.del(dn));
}
