/**
 * Enumeration of a domain's computers: a verified TLS connection to the first domain controller that answers,
 * a bind with the domain credential, the paged computer search, classification, and a WinRM probe of the
 * servers, all within a hard time budget (when it runs out, what was read is returned with partial: true).
 *
 * Errors are DirectoryErrors a partner can act on. A refused sign-in or a certificate problem stops at once
 * (trying the password on the next DC would only count more bad passwords towards a lockout); only an
 * unreachable DC moves on to the next one.
 */
import type { Secret } from "../../crypto/secret";
import { DirectoryError } from "../directory-error";
import { type ConnectDcOptions, connectDc, type DcConnection, type DcTrust, type TlsMode } from "../ldap/connect-dc";
import { describeLdapError } from "../ldap/describe-bind-error";
import { describeNetworkError } from "../ldap/describe-network-error";
import type { DirectoryDns } from "../net/directory-dns";
import { classifyComputer, type EnumeratedComputer, STALE_AFTER_DAYS } from "./classify-computer";
import { createWinrmProber, type WinrmProbeOptions } from "./probe-winrm";
import { searchComputers } from "./search-computers";

export interface EnumerateDomainOptions {
  domain: string;
  /** In the order to try them (discovery's RFC 2782 order). */
  domainControllers: { hostname: string }[];
  /** user@domain, DOMAIN\user or a DN. */
  username: string;
  password: Secret;
  trust: DcTrust;
  dns: DirectoryDns;
  /** Hard limit for the whole enumeration, connection and WinRM probes included. Default 60 s. */
  budgetMs?: number;
  modes?: TlsMode[];
  ldapsPort?: number;
  ldapPort?: number;
  connectTimeoutMs?: number;
  /** WinRM probe settings; false skips the probe. */
  winrm?: Omit<WinrmProbeOptions, "dns" | "deadline"> | false;
  /** "Now" for staleness (tests pin it). */
  now?: Date;
  staleAfterDays?: number;
  onPage?: (count: number) => void;
}

export interface EnumerationResult {
  domain: string;
  dc: { hostname: string; mode: TlsMode; port: number };
  /** The DC certificate's fingerprint and what made it trusted; "first-use" means: report it and pin it. */
  certificate: {
    sha256: string;
    trustedBy: DcConnection["trustedBy"];
    subject: string;
    issuer: string;
    validTo: string;
  };
  servers: EnumeratedComputer[];
  workstations: EnumeratedComputer[];
  enumerated_at: string;
  partial: boolean;
  pages: number;
  elapsedMs: number;
}

function budgetError(hostname: string, budgetMs: number): DirectoryError {
  return new DirectoryError(
    "dc_timeout",
    `The domain controller ${hostname} did not answer within the enumeration's time budget of ${Math.round(budgetMs / 1000)} s.`,
    { dc: hostname },
  );
}

/** A connection that failed under a bind or search without an LDAP answer (reset, closed, timed out). */
function lostConnection(err: unknown, conn: DcConnection, during: string): DirectoryError {
  if (err instanceof DirectoryError) return err;
  return new DirectoryError(
    "dc_unreachable",
    `The domain controller ${conn.hostname} (port ${conn.port}) dropped the connection during the ${during}: ${describeNetworkError(err)}.`,
    { dc: conn.hostname, port: conn.port },
  );
}

/** Runs `work` but gives up (throwing `onTimeout()`) at the deadline. */
async function beforeDeadline<T>(deadline: number, work: Promise<T>, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function connectFirstAnswering(opts: EnumerateDomainOptions, deadline: number, budgetMs: number) {
  const failures: DirectoryError[] = [];
  for (const { hostname } of opts.domainControllers) {
    const connectOptions: ConnectDcOptions = {
      hostname,
      dns: opts.dns,
      trust: opts.trust,
      ...(opts.modes ? { modes: opts.modes } : {}),
      ...(opts.ldapsPort ? { ldapsPort: opts.ldapsPort } : {}),
      ...(opts.ldapPort ? { ldapPort: opts.ldapPort } : {}),
      connectTimeoutMs: Math.min(opts.connectTimeoutMs ?? 5000, Math.max(1, deadline - Date.now())),
      operationTimeoutMs: Math.max(1, deadline - Date.now()),
    };
    const pending = connectDc(connectOptions);
    try {
      return await beforeDeadline(deadline, pending, () => budgetError(hostname, budgetMs));
    } catch (err) {
      pending.then((c) => c.close()).catch(() => {});
      const failure =
        err instanceof DirectoryError
          ? err
          : new DirectoryError(
              "dc_unreachable",
              `Cannot reach the domain controller ${hostname}: ${describeNetworkError(err)}.`,
              {
                dc: hostname,
              },
            );
      if (failure.code !== "dc_unreachable" && failure.code !== "dc_timeout") throw failure;
      failures.push(failure);
      if (Date.now() >= deadline) break;
    }
  }
  if (failures.length === 1 && failures[0]) throw failures[0];
  if (failures.length === 0) {
    throw new DirectoryError("dc_unreachable", `No domain controller to enumerate ${opts.domain} from.`);
  }
  throw new DirectoryError(
    failures[0]?.code ?? "dc_unreachable",
    `No domain controller of ${opts.domain} answered: ${failures.map((f) => f.message).join(" ")}`,
    failures[0]?.details ?? {},
  );
}

export async function enumerateDomain(opts: EnumerateDomainOptions): Promise<EnumerationResult> {
  const started = Date.now();
  const budgetMs = opts.budgetMs ?? 60_000;
  const deadline = started + budgetMs;
  const now = opts.now ?? new Date();
  const conn = await connectFirstAnswering(opts, deadline, budgetMs);
  try {
    await beforeDeadline(deadline, conn.client.bind(opts.username, opts.password.reveal()), () =>
      budgetError(conn.hostname, budgetMs),
    ).catch((err: unknown) => {
      throw describeLdapError(err, conn.hostname, opts.username) ?? lostConnection(err, conn, "sign-in");
    });
    const baseDn =
      conn.defaultNamingContext ||
      opts.domain
        .split(".")
        .map((p) => `DC=${p}`)
        .join(",");
    // Each page is classified as it arrives, and its servers' WinRM probes start at once: they overlap the
    // reading of the next pages (with servers that drop WinRM silently, the probe can take longer than the read).
    const servers: EnumeratedComputer[] = [];
    const workstations: EnumeratedComputer[] = [];
    const probes: Promise<void>[] = [];
    const probe =
      opts.winrm === false ? undefined : createWinrmProber({ ...(opts.winrm ?? {}), dns: opts.dns, deadline });
    const search = await searchComputers(conn.client, {
      baseDn,
      deadline,
      close: conn.close,
      onEntries: (entries) => {
        for (const entry of entries) {
          const { kind, computer } = classifyComputer(entry, now, opts.staleAfterDays ?? STALE_AFTER_DAYS);
          if (kind === "workstation") {
            workstations.push(computer);
            continue;
          }
          servers.push(computer);
          if (probe) {
            probes.push(
              probe(computer.hostname).then((open) => {
                if (open !== undefined) computer.winrm_reachable = open;
              }),
            );
          }
        }
      },
      ...(opts.onPage ? { onPage: opts.onPage } : {}),
    }).catch((err: unknown) => {
      throw describeLdapError(err, conn.hostname) ?? lostConnection(err, conn, "search");
    });
    conn.close();
    await Promise.all(probes);
    return {
      domain: opts.domain,
      dc: { hostname: conn.hostname, mode: conn.mode, port: conn.port },
      certificate: {
        sha256: conn.certificate.sha256,
        trustedBy: conn.trustedBy,
        subject: conn.certificate.subject,
        issuer: conn.certificate.issuer,
        validTo: conn.certificate.validTo,
      },
      servers,
      workstations,
      enumerated_at: new Date(started).toISOString(),
      partial: !search.complete,
      pages: search.pages,
      elapsedMs: Date.now() - started,
    };
  } finally {
    conn.close();
  }
}
