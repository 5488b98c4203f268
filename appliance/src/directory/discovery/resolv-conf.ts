/** The domain names in /etc/resolv.conf: `domain` and `search` (the last of each wins, as in the resolver). */
export interface ResolvConf {
  domain?: string;
  search: string[];
  nameservers: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { search: [], nameservers: [] };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === "domain" && args[0]) out.domain = args[0];
    else if (keyword === "search") out.search = args.filter(Boolean);
    else if (keyword === "nameserver" && args[0]) out.nameservers.push(args[0]);
  }
  return out;
}
