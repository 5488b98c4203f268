/**
 * The paged search of every computer object (500 per page), bounded by a deadline: when time runs out the
 * pending page is abandoned (the connection is closed under it) and the pages read so far are returned with
 * `complete: false`. Referrals to other partitions (ldapts' searchReferences) are ignored.
 */
import type { Client } from "ldapts";
import type { LdapEntry } from "./classify-computer";

export const COMPUTER_ATTRIBUTES = [
  "name",
  "dNSHostName",
  "operatingSystem",
  "operatingSystemVersion",
  "distinguishedName",
  "userAccountControl",
  "primaryGroupID",
  "lastLogonTimestamp",
];

export interface SearchComputersOptions {
  baseDn: string;
  /** Epoch ms. */
  deadline: number;
  pageSize?: number;
  /** Called after each page with the number of computers read so far. */
  onPage?: (count: number) => void;
  /** Called with each page's entries as it arrives (before onPage). */
  onEntries?: (entries: LdapEntry[]) => void;
  /** Closes the connection (abandoning a pending page). */
  close: () => void;
}

export interface SearchComputersResult {
  entries: LdapEntry[];
  pages: number;
  complete: boolean;
}

const TIMED_OUT = Symbol("timed out");

export async function searchComputers(client: Client, opts: SearchComputersOptions): Promise<SearchComputersResult> {
  const entries: LdapEntry[] = [];
  let pages = 0;
  const pagesIterator = client.searchPaginated(opts.baseDn, {
    scope: "sub",
    filter: "(objectCategory=computer)",
    attributes: COMPUTER_ATTRIBUTES,
    paged: { pageSize: opts.pageSize ?? 500 },
  });
  for (;;) {
    const remaining = opts.deadline - Date.now();
    if (remaining <= 0) {
      opts.close();
      return { entries, pages, complete: false };
    }
    const next = pagesIterator.next();
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      next,
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (result === TIMED_OUT) {
      next.catch(() => {}); // rejects once the connection is closed
      opts.close();
      return { entries, pages, complete: false };
    }
    if (result.done) return { entries, pages, complete: true };
    pages++;
    const page = result.value.searchEntries as LdapEntry[];
    entries.push(...page);
    opts.onEntries?.(page);
    opts.onPage?.(entries.length);
  }
}
