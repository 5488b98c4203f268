/**
 * Builds an appliance's windows_targets from its site's encrypted credentials (loaded with the check-in
 * context). Secrets are opened through the short-lived decrypted-secret cache, and sealed per response.
 */
import type { WindowsTargetWire } from "@/server/contracts";
import { openStoredSecret } from "../credentials/decrypted-secret-cache";
import { type CredentialSecret, credentialRef } from "../credentials/site-credentials";
import { createSealer } from "../security/sealed-box";
import type { CheckinContext } from "./load-checkin-context";
import { ntlmUsername } from "./ntlm-username";

export function buildWindowsTargets(ctx: CheckinContext): { targets: WindowsTargetWire[]; released: string[] } {
  if (ctx.credentials.length === 0 && ctx.discovered.hosts.length === 0) return { targets: [], released: [] };
  const seal = ctx.publicKey ? createSealer(ctx.publicKey, ctx.applianceId) : null;
  const target = (
    hostname: string,
    credentialId: string,
    secret: CredentialSecret,
    username = secret.domain ? `${secret.domain}\\${secret.username}` : secret.username,
  ): WindowsTargetWire => {
    return {
      hostname,
      credential_id: credentialId,
      username,
      // An appliance with a public key never gets a plain password (no downgrade); only a client that
      // registered no key (a third-party client of the seed's API) does.
      ...(seal
        ? { sealed_password: seal(secret.password, { credentialId, hostname, username }) }
        : { password: secret.password }),
      use_ssl: secret.use_ssl,
      port: secret.use_ssl ? 5986 : 5985,
      transport: "ntlm",
    };
  };
  const targets: WindowsTargetWire[] = [];
  const released: string[] = [];
  for (const row of ctx.credentials) {
    const secret = openStoredSecret<CredentialSecret>(credentialRef(ctx.siteId, row.id), row);
    if (!secret.host) continue;
    targets.push(target(secret.host, row.id, secret));
    released.push(row.id);
  }
  // Servers from Active Directory that a partner approved (or the first enumeration after the credential
  // was entered): each with the domain credential, sealed per host like any other target, over HTTP 5985
  // (WinRM's default; the domain credential names no host, so no HTTPS setting).
  const domain = ctx.discovered.credential;
  if (domain && ctx.discovered.hosts.length) {
    const secret = openStoredSecret<CredentialSecret>(credentialRef(ctx.siteId, domain.id), domain);
    // NETBIOS\user when discovery learnt the NetBIOS name, else user@dns.domain (ntlm-username.ts).
    const username = ntlmUsername(secret.username, {
      dnsName: secret.domain ?? null,
      netbiosName: ctx.discovered.netbiosName,
    });
    for (const hostname of ctx.discovered.hosts)
      targets.push(target(hostname, domain.id, { ...secret, use_ssl: false }, username));
    released.push(domain.id);
  }
  return { targets, released };
}
