/**
 * The certificate a domain controller presents, read before any credential exists (discovery reports its
 * fingerprint so the partner can compare it beside the credential form). It is the first-use path of
 * connectDc: the connection is verified against exactly the presented certificate, and no bind happens.
 */
import { DirectoryError } from "../directory-error";
import type { DirectoryDns } from "../net/directory-dns";
import { connectDc, type TlsMode } from "./connect-dc";

export interface DcCertificateReport {
  sha256: string;
  subject: string;
  issuer: string;
  validTo: string;
  mode: TlsMode;
  port: number;
}

/** The DC's certificate, or a DirectoryError (no_certificate, dc_unreachable, ...) saying why there is none. */
export async function readDcCertificate(
  hostname: string,
  dns: DirectoryDns,
  opts: { modes?: TlsMode[]; connectTimeoutMs?: number } = {},
): Promise<DcCertificateReport | DirectoryError> {
  try {
    const conn = await connectDc({
      hostname,
      dns,
      trust: {},
      ...(opts.modes ? { modes: opts.modes } : {}),
      connectTimeoutMs: opts.connectTimeoutMs ?? 3000,
      operationTimeoutMs: 5000,
    });
    conn.close();
    const { sha256, subject, issuer, validTo } = conn.certificate;
    return { sha256, subject, issuer, validTo, mode: conn.mode, port: conn.port };
  } catch (err) {
    if (err instanceof DirectoryError) return err;
    return new DirectoryError("dc_unreachable", `Cannot read the certificate of ${hostname}: ${String(err)}`, {
      dc: hostname,
    });
  }
}
