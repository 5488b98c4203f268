/** Arranging Active Directory state over the REST endpoints an appliance uses (e2e/api and e2e/ui share it). */
import { randomBytes } from "node:crypto";
import { type APIRequestContext, expect } from "@playwright/test";
import { deriveApplianceKeys, generateRootSecret } from "../appliance/src/crypto/appliance-key";

/** A new site and its appliance, claimed with a fresh key pair, as the appliance does it. */
export async function claimSite(request: APIRequestContext, token: string, clientName?: string) {
  const code = await request.post("/api/partners/me/provision-codes", {
    headers: { authorization: `Bearer ${token}` },
    data: { client_name: clientName ?? `AD clinic ${randomBytes(3).toString("hex")}` },
  });
  expect(code.status()).toBe(201);
  const keys = deriveApplianceKeys(generateRootSecret());
  const mac = Array.from(randomBytes(6), (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
  const res = await request.post("/api/provision/claim", {
    data: {
      provision_code: ((await code.json()) as { code: string }).code,
      mac_address: mac,
      hostname: "osiriscare-appliance",
      api_key: keys.apiKey,
      public_key: keys.keyPair.publicKeyBase64,
    },
  });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { site_id: string; appliance_id: string };
  return { ...body, keys, auth: { authorization: `Bearer ${keys.apiKey}` } };
}

/** A computer object as the appliance reports it from LDAP (a server of clinic.e2e unless `extra` says otherwise). */
export const computer = (hostname: string, extra: Record<string, unknown> = {}) => ({
  hostname,
  name: hostname.split(".")[0]?.toUpperCase(),
  os: "Windows Server 2022 Standard",
  os_version: "10.0 (20348)",
  distinguished_name: `CN=${hostname.split(".")[0]},OU=Servers,DC=clinic,DC=e2e`,
  enabled: true,
  last_logon: new Date().toISOString(),
  ...extra,
});
