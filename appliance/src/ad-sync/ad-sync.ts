/**
 * The appliance's Active Directory work, as the check-in daemon runs it: the discovery loop in the background
 * from daemon start (domain-discovery-loop.ts), and the trigger_enumeration handler (run-enumeration.ts). Every
 * report is journaled in the appliance's durable outbox (outbox/) and sent from there until acknowledged, also
 * across restarts; the domain credential is fetched with a few retries (fetch-domain-credential.ts).
 */
import type { KeyObject } from "node:crypto";
import { type CallOptions, callApi } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import type { Sleep } from "../daemon/schedule";
import { candidateDomains } from "../directory/discovery/candidate-domains";
import { discoverDomain } from "../directory/discovery/discover-domain";
import { readDiscoverySources } from "../directory/discovery/read-discovery-sources";
import type { EnumerateDomainOptions } from "../directory/enumeration/enumerate-domain";
import { createDirectoryDns, type DirectoryDns } from "../directory/net/directory-dns";
import type { Outbox } from "../outbox/outbox";
import { REPORT_KINDS } from "../outbox/report-kinds";
import { DcPins } from "./dc-pins";
import { DomainDiscoveryLoop } from "./domain-discovery-loop";
import { fetchDomainCredential } from "./fetch-domain-credential";
import { type EnumerationOutcome, runEnumeration } from "./run-enumeration";

export interface AdSyncOptions {
  /** Where dc-pins.json lives (the appliance's state directory). */
  stateDir: string;
  /** OSIRIS_DNS_SERVERS; absent: the system's resolver. */
  dnsServers?: string[];
  /** OSIRIS_AD_ENUMERATION_BUDGET_S in ms (default 60 s). */
  enumerationBudgetMs?: number;
  /** Candidate domain names; by default from resolv.conf, the host name and DHCP leases. */
  candidates?: () => string[];
  /** Discovery schedule (defaults: daily; failures retried 1 min doubling to 1 h). */
  discoveryIntervalMs?: number;
  discoveryRetryInitialMs?: number;
  discoveryRetryMaxMs?: number;
  /** Retries of fetching the domain credential (default 4, 5 s doubling). */
  credentialRetries?: number;
  credentialRetryInitialMs?: number;
  /** Waits of the discovery loop and of credential fetch retries; a timer by default. */
  sleep?: Sleep;
  /** Library options the tests pin (WinRM probe, staleness "now", TLS modes). */
  enumerate?: Partial<Pick<EnumerateDomainOptions, "winrm" | "now" | "modes">>;
}

export interface AdSyncContext {
  applianceId: () => string;
  siteId: () => string;
  privateKey: () => KeyObject;
  callOptions: () => CallOptions;
  /** Where every report goes (journaled, then sent until acknowledged). */
  outbox: Outbox;
  signal: AbortSignal;
  sleep: Sleep;
  random: () => number;
  now: () => Date;
  log: (line: string) => void;
}

export class AdSync {
  readonly discovery: DomainDiscoveryLoop;
  readonly pins: DcPins;
  readonly dns: DirectoryDns;
  lastEnumeration: EnumerationOutcome | undefined;
  readonly #opts: AdSyncOptions;
  readonly #ctx: AdSyncContext;

  constructor(opts: AdSyncOptions, ctx: AdSyncContext) {
    this.#opts = opts;
    this.#ctx = ctx;
    this.dns = createDirectoryDns({ servers: opts.dnsServers ?? [] });
    this.pins = new DcPins(opts.stateDir, ctx.log);
    this.discovery = new DomainDiscoveryLoop({
      applianceId: ctx.applianceId,
      // Discovery also reads each DC's certificate, so the partner sees its fingerprint beside the credential form.
      discover: () =>
        this.#discover((opts.candidates ?? (() => candidateDomains(readDiscoverySources())))(), {
          readCertificate: true,
        }),
      postDiscovered: (body) => ctx.outbox.send(REPORT_KINDS.domainDiscovered, body),
      postFailed: (body) => ctx.outbox.send(REPORT_KINDS.domainDiscoveryFailed, body),
      signal: ctx.signal,
      sleep: this.#sleep(),
      random: ctx.random,
      now: ctx.now,
      log: ctx.log,
      ...(opts.discoveryIntervalMs !== undefined ? { intervalMs: opts.discoveryIntervalMs } : {}),
      ...(opts.discoveryRetryInitialMs !== undefined ? { retryInitialMs: opts.discoveryRetryInitialMs } : {}),
      ...(opts.discoveryRetryMaxMs !== undefined ? { retryMaxMs: opts.discoveryRetryMaxMs } : {}),
    });
  }

  /** The trigger_enumeration handler. */
  async enumerate(): Promise<EnumerationOutcome> {
    const ctx = this.#ctx;
    const outcome = await runEnumeration({
      applianceId: ctx.applianceId(),
      privateKey: ctx.privateKey(),
      dns: this.dns,
      pins: this.pins,
      ...(this.#opts.enumerationBudgetMs !== undefined ? { budgetMs: this.#opts.enumerationBudgetMs } : {}),
      discovered: this.discovery.current,
      discover: (candidates) => this.#discover(candidates),
      fetchCredential: () =>
        fetchDomainCredential(() => callApi(ENDPOINTS.domainCredential, { site_id: ctx.siteId() }, ctx.callOptions()), {
          signal: ctx.signal,
          sleep: this.#sleep(),
          random: ctx.random,
          log: ctx.log,
          ...(this.#opts.credentialRetries !== undefined ? { retries: this.#opts.credentialRetries } : {}),
          ...(this.#opts.credentialRetryInitialMs !== undefined
            ? { retryInitialMs: this.#opts.credentialRetryInitialMs }
            : {}),
        }),
      postResults: (body) => ctx.outbox.send(REPORT_KINDS.enumerationResults, body),
      postFailed: (body) => ctx.outbox.send(REPORT_KINDS.enumerationFailed, body),
      log: ctx.log,
      now: ctx.now,
      ...(this.#opts.enumerate ? { enumerate: this.#opts.enumerate } : {}),
    });
    this.lastEnumeration = outcome;
    return outcome;
  }

  #discover(candidates: string[], extra: { readCertificate?: boolean } = {}) {
    return discoverDomain({ candidates, dns: this.dns, random: this.#ctx.random, ...extra });
  }

  #sleep(): Sleep {
    return this.#opts.sleep ?? this.#ctx.sleep;
  }
}
