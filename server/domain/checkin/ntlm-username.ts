/**
 * The username the appliance logs in with (NTLM over WinRM) on a server found in Active Directory, with the
 * site's domain credential. NTLM wants the domain's NetBIOS name (`CLINIC\scanner`); the DNS name in that slot
 * (`clinic.test\scanner`) is refused by hosts that do not map it. When discovery did not learn the NetBIOS
 * name, the user principal name form (`scanner@clinic.test`) works everywhere AD does. A username the partner
 * already qualified (`DOMAIN\user` or `user@domain`) is used as typed.
 */
export function ntlmUsername(user: string, domain: { dnsName: string | null; netbiosName: string | null }): string {
  const name = user.trim();
  if (name.includes("\\") || name.includes("@")) return name;
  const netbios = domain.netbiosName?.trim();
  if (netbios) return `${netbios.toUpperCase()}\\${name}`;
  const dns = domain.dnsName?.trim().replace(/\.$/, "");
  return dns ? `${name}@${dns.toLowerCase()}` : name;
}
