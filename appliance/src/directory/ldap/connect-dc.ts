/**
 * A verified TLS connection to a domain controller: LDAPS (636), else StartTLS on 389. Never a clear-text
 * connection for a bind, never `rejectUnauthorized: false`.
 *
 * Trust, in order: the CA the partner supplied with the credential (the certificate must chain to it and name
 * the DC); else a pinned SHA-256 fingerprint; else trust on first use. For a pin or first use, one handshake
 * learns the presented certificate and is rejected (nothing is sent over it), then the real connection trusts
 * exactly that certificate (it is the only trust anchor, and its fingerprint is checked again). A presented
 * certificate that differs from the pin stops everything with both fingerprints; a DC that offers no TLS at
 * all gets an error that says to install a certificate.
 */
import { isIP } from "node:net";
import tls, { type ConnectionOptions, type PeerCertificate } from "node:tls";
import { Client } from "ldapts";
import { DirectoryError } from "../directory-error";
import type { DirectoryDns } from "../net/directory-dns";
import { capturePresentedCertificate, normalizeFingerprint, type PresentedCertificate } from "./dc-certificate";
import { describeNetworkError, networkErrorCode } from "./describe-network-error";

export type TlsMode = "ldaps" | "starttls";

export interface DcTrust {
  /** PEM of the CA that issued the DC's certificate (from the partner, with the credential). */
  caPem?: string;
  /** SHA-256 fingerprint of the DC's certificate, pinned on first use. */
  pinnedSha256?: string;
}

export interface ConnectDcOptions {
  /** The DC's host name: what its certificate must name and what errors say. */
  hostname: string;
  dns: DirectoryDns;
  trust: DcTrust;
  /** Default: LDAPS, then StartTLS. */
  modes?: TlsMode[];
  ldapsPort?: number;
  ldapPort?: number;
  connectTimeoutMs?: number;
  /** Per LDAP operation. */
  operationTimeoutMs?: number;
}

export interface DcConnection {
  client: Client;
  hostname: string;
  mode: TlsMode;
  port: number;
  certificate: PresentedCertificate;
  trustedBy: "ca" | "pin" | "first-use";
  /** From the rootDSE read over the verified connection. */
  defaultNamingContext: string;
  /** Unbinds and closes without waiting for the DC (which may be hung). */
  close(): void;
}

interface Attempt {
  certificate?: PresentedCertificate;
  tcpConnected?: boolean;
}

/** A TLS failure that is about the certificate (as opposed to a DC that speaks no TLS at all). */
function isCertificateError(err: unknown): boolean {
  const code = networkErrorCode(err) ?? "";
  return (
    /CERT|SELF_SIGNED|UNABLE_TO_|ALTNAME|ISSUER|LEAF|CHAIN/.test(code) || /certificate|fingerprint/i.test(String(err))
  );
}

function fingerprintCheck(expected: string) {
  return (_host: string, cert: PeerCertificate): Error | undefined =>
    normalizeFingerprint(cert.fingerprint256 ?? "") === expected
      ? undefined
      : new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned ${expected}`);
}

class TlsUnavailable extends Error {}

export async function connectDc(opts: ConnectDcOptions): Promise<DcConnection> {
  const { hostname } = opts;
  let address: string;
  try {
    address = await opts.dns.resolveHost(hostname);
  } catch (err) {
    throw new DirectoryError(
      "dc_unreachable",
      `Cannot reach the domain controller ${hostname}: ${describeNetworkError(err)} (DNS: ${opts.dns.servers.join(", ")}).`,
      { dc: hostname },
    );
  }
  const servername = isIP(hostname) ? undefined : hostname;
  const connectTimeout = opts.connectTimeoutMs ?? 5000;
  const timeout = opts.operationTimeoutMs ?? 30_000;
  const failures: { mode: TlsMode; port: number; noTls: boolean; reason: string }[] = [];

  /** Connects in `mode` with `tlsOptions` and reads the rootDSE over the protected channel. */
  async function attempt(mode: TlsMode, port: number, tlsOptions: ConnectionOptions, state: Attempt, tcp: Attempt) {
    const createSecureConnection = ((...args: Parameters<typeof tls.connect>) => {
      const socket = (tls.connect as (...a: unknown[]) => tls.TLSSocket)(...args);
      socket.once("connect", () => {
        tcp.tcpConnected = true;
      });
      capturePresentedCertificate(socket, state);
      return socket;
    }) as typeof tls.connect;
    // For StartTLS the constructor gets no TLS options (with them ldapts would open TLS straight away on 389).
    const client = new Client({
      url: `${mode === "ldaps" ? "ldaps" : "ldap"}://${address.includes(":") ? `[${address}]` : address}:${port}`,
      connectTimeout,
      timeout,
      createSecureConnection,
      ...(mode === "ldaps" ? { tlsOptions: { ...tlsOptions } } : {}),
    });
    try {
      if (mode === "starttls") {
        try {
          await client.startTLS({ ...tlsOptions });
        } catch (err) {
          // An LDAP answer to the StartTLS request itself (no handshake happened): the DC offers no TLS.
          if (typeof (err as { code?: unknown }).code === "number" && !state.certificate) {
            throw new TlsUnavailable(`StartTLS refused: ${(err as Error).message}`);
          }
          throw err;
        }
      }
      const { searchEntries } = await client.search("", { scope: "base", attributes: ["defaultNamingContext"] });
      const nc = searchEntries[0]?.defaultNamingContext;
      return { client, defaultNamingContext: typeof nc === "string" ? nc : "" };
    } catch (err) {
      void client.unbind().catch(() => {});
      throw err;
    }
  }

  async function connectMode(mode: TlsMode, port: number, tcp: Attempt): Promise<DcConnection> {
    const base: ConnectionOptions = servername ? { servername } : {};
    const done = (
      r: { client: Client; defaultNamingContext: string },
      certificate: PresentedCertificate | undefined,
      trustedBy: DcConnection["trustedBy"],
    ): DcConnection => {
      if (!certificate) throw new Error("TLS connection without a peer certificate");
      return {
        ...r,
        hostname,
        mode,
        port,
        certificate,
        trustedBy,
        close: () => void r.client.unbind().catch(() => {}),
      };
    };
    if (opts.trust.caPem) {
      const state: Attempt = {};
      try {
        const r = await attempt(mode, port, { ...base, ca: [opts.trust.caPem] }, state, tcp);
        return done(r, state.certificate, "ca");
      } catch (err) {
        if (state.certificate && isCertificateError(err)) {
          throw new DirectoryError(
            "certificate_untrusted",
            `The certificate of the domain controller ${hostname} (SHA-256 ${state.certificate.sha256}, issued by ` +
              `${state.certificate.issuer}) is not trusted with the CA supplied with the credential: ` +
              `${(err as Error).message}. Supply the CA that issued the DC's certificate.`,
            { dc: hostname, port, presentedSha256: state.certificate.sha256 },
          );
        }
        throw err;
      }
    }
    // Pin or first use: a handshake that is always rejected, only to learn the certificate.
    const probe: Attempt = {};
    try {
      const r = await attempt(
        mode,
        port,
        { ...base, checkServerIdentity: () => new Error("certificate read only") },
        probe,
        tcp,
      );
      r.client.unbind().catch(() => {});
    } catch (err) {
      if (!probe.certificate) throw err;
    }
    const presented = probe.certificate;
    if (!presented) throw new Error("no certificate was presented");
    const pinned = opts.trust.pinnedSha256 ? normalizeFingerprint(opts.trust.pinnedSha256) : undefined;
    if (pinned && presented.sha256 !== pinned) {
      throw new DirectoryError(
        "certificate_changed",
        `The certificate of the domain controller ${hostname} changed: it now presents SHA-256 ${presented.sha256}, ` +
          `but the pinned certificate is ${pinned}. Enumeration stopped. If the DC's certificate was renewed, ` +
          "accept the new fingerprint on the site page; if not, the connection may be intercepted.",
        {
          dc: hostname,
          port,
          pinnedSha256: pinned,
          presentedSha256: presented.sha256,
          presented: { subject: presented.subject, issuer: presented.issuer, validTo: presented.validTo },
        },
      );
    }
    const state: Attempt = {};
    const r = await attempt(
      mode,
      port,
      {
        ...base,
        ca: [presented.pem],
        allowPartialTrustChain: true,
        checkServerIdentity: fingerprintCheck(presented.sha256),
      },
      state,
      tcp,
    );
    return done(r, state.certificate, pinned ? "pin" : "first-use");
  }

  for (const mode of opts.modes ?? ["ldaps", "starttls"]) {
    const port = mode === "ldaps" ? (opts.ldapsPort ?? 636) : (opts.ldapPort ?? 389);
    const tcp: Attempt = {};
    try {
      return await connectMode(mode, port, tcp);
    } catch (err) {
      if (err instanceof DirectoryError) throw err;
      if (err instanceof TlsUnavailable) {
        failures.push({ mode, port, noTls: true, reason: "the DC refused StartTLS" });
        continue;
      }
      if (isCertificateError(err)) throw err;
      const code = networkErrorCode(err) ?? "";
      const unreachable =
        ["ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"].includes(code) ||
        (!tcp.tcpConnected && /Connection timeout/.test(String(err)));
      // The TCP connection to 636 worked but no TLS handshake completed: nothing there speaks TLS.
      const noTls = !unreachable && mode === "ldaps" && tcp.tcpConnected === true && !/timed out/i.test(String(err));
      failures.push({ mode, port, noTls, reason: describeNetworkError(err) });
    }
  }
  const tried = failures.map((f) => `${f.mode === "ldaps" ? "LDAPS" : "StartTLS"} on port ${f.port}: ${f.reason}`);
  if (failures.some((f) => f.noTls)) {
    throw new DirectoryError(
      "no_certificate",
      `The domain controller ${hostname} offers no TLS (${tried.join("; ")}), so it has no usable certificate. ` +
        "The appliance never sends the domain password in clear text: install a certificate on the DC (enroll a " +
        '"Domain Controller" certificate from your enterprise CA, or install Active Directory Certificate Services), then retry.',
      { dc: hostname },
    );
  }
  const first = failures[0];
  throw new DirectoryError(
    /no answer|timed out/i.test(first?.reason ?? "") ? "dc_timeout" : "dc_unreachable",
    `Cannot reach the domain controller ${hostname} (${address}): ${tried.join("; ")}.`,
    { dc: hostname, ...(first ? { port: first.port } : {}) },
  );
}
