/**
 * The certificate a TLS server presents is read even when Node rejects the connection (trust on first use and
 * "certificate changed" depend on it), and a certificate can be trusted alone, as its own anchor.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  capturePresentedCertificate,
  normalizeFingerprint,
  type PresentedCertificate,
} from "../../src/directory/ldap/dc-certificate";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const CERT = readFileSync(path.join(FIXTURES, "dc-cert.pem"), "utf8");
// openssl x509 -in dc-cert.pem -noout -fingerprint -sha256
const FINGERPRINT = "FC:34:C9:24:71:B7:3B:9F:DA:78:44:3F:EB:81:9B:F8:F8:72:CE:DF:26:20:76:38:A9:F3:B2:10:C0:BE:F1:C6";

let server: tls.Server;
let port = 0;

beforeAll(async () => {
  server = tls.createServer({ key: readFileSync(path.join(FIXTURES, "dc-key.pem")), cert: CERT }, (s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function connect(options: tls.ConnectionOptions) {
  const holder: { certificate?: PresentedCertificate } = {};
  return new Promise<{ ok: boolean; error?: string; holder: typeof holder }>((resolve) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ...options });
    capturePresentedCertificate(socket, holder);
    socket.once("secureConnect", () => {
      socket.end();
      resolve({ ok: true, holder });
    });
    socket.once("error", (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, error: err.code ?? err.message, holder }),
    );
  });
}

describe("presented certificate", () => {
  it("is captured from a connection Node rejects (unknown issuer)", async () => {
    const result = await connect({ servername: "dc1.fixture.test" });
    expect(result.ok).toBe(false);
    expect(result.error).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(result.holder.certificate?.sha256).toBe(FINGERPRINT);
    expect(result.holder.certificate?.subject).toBe("CN=dc1.fixture.test");
    expect(result.holder.certificate?.pem.trim()).toBe(CERT.trim());
  });

  it("verifies when the certificate itself is the only trust anchor, and the fingerprint check can refuse it", async () => {
    const trusted = await connect({
      ca: [CERT],
      allowPartialTrustChain: true,
      checkServerIdentity: (_h, cert) => (cert.fingerprint256 === FINGERPRINT ? undefined : new Error("fingerprint")),
    });
    expect(trusted).toMatchObject({ ok: true, holder: { certificate: { sha256: FINGERPRINT } } });
    const refused = await connect({
      ca: [CERT],
      allowPartialTrustChain: true,
      checkServerIdentity: () => new Error("pin"),
    });
    expect(refused.ok).toBe(false);
    expect(refused.holder.certificate?.sha256).toBe(FINGERPRINT);
  });

  it("normalises fingerprints as people paste them", () => {
    expect(normalizeFingerprint(FINGERPRINT.toLowerCase())).toBe(FINGERPRINT);
    expect(normalizeFingerprint(FINGERPRINT.replace(/:/g, ""))).toBe(FINGERPRINT);
    expect(normalizeFingerprint(FINGERPRINT.replace(/:/g, " "))).toBe(FINGERPRINT);
  });
});
