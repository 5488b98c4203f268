/**
 * The WinRM test double: real HTTP/HTTPS listeners on loopback, one per fake Windows host (several addresses or
 * ports in one process), speaking what a default Windows server speaks: Negotiate/NTLM login bound to the TCP
 * connection, NTLM-sealed multipart/encrypted bodies on HTTP (an unencrypted body is refused with 400), TLS plus
 * channel bindings on HTTPS, and the WS-Man shell lifecycle. Each host has a state the tests control.
 */
import { X509Certificate } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import {
  decodeEncryptedBody,
  ENCRYPTED_CONTENT_TYPE,
  encodeEncryptedBody,
  isEncryptedContentType,
  SOAP_CONTENT_TYPE,
} from "@/appliance/src/winrm/http/encrypted-body.ts";
import { tlsServerEndPoint } from "@/appliance/src/winrm/ntlm/channel-bindings.ts";
import type { NtlmSession } from "@/appliance/src/winrm/ntlm/session-security.ts";
import { type NtlmAccount, NtlmServerLogin } from "./ntlm-server.ts";
import {
  type CheckScriptResponder,
  defaultCheckScriptResponder,
  type HostState,
  runScript,
  type ScriptOutput,
} from "./script-runner.ts";
import { selfSignedCertificate, type TlsMaterial } from "./tls-certificate.ts";
import { WsmanShells } from "./wsman-shell.ts";

export type FakeHostSpec = {
  name: string;
  address?: string;
  /** 0 or absent: any free port. */
  port?: number;
  https?: boolean;
  state?: HostState;
  /** Close each TCP connection after this many requests (as a host that drops idle connections): the client must log in again. */
  maxRequestsPerConnection?: number;
  /** A misbehaving host for client tests: on HTTP it answers in clear, which a client must refuse. */
  plainReplies?: boolean;
};

export type WinRmDoubleOptions = {
  hosts: FakeHostSpec[];
  accounts: NtlmAccount[];
  netbiosDomain?: string;
  dnsDomain?: string;
  tls?: TlsMaterial;
  /** How long a "slow" host takes to produce the check script's output. */
  slowMs?: number;
  /** How long a Receive is held before the "no output yet" fault (Windows: the OperationTimeout). */
  holdMs?: number;
  checkScriptResponder?: CheckScriptResponder;
};

export type FakeHost = { name: string; address: string; port: number; https: boolean; url: string };

export type HostStats = {
  logins: number;
  /** Logins whose NTLM response carried channel bindings (checked against the certificate). */
  channelBoundLogins: number;
  failedLogins: number;
  requests: number;
  refusedUnencrypted: number;
  scripts: string[];
};

export type WinRmDouble = {
  hosts: FakeHost[];
  /** PEM of the HTTPS listeners' certificate (trust it as the CA). */
  certificate: string;
  setHostState(name: string, state: HostState): void;
  hostState(name: string): HostState;
  setCheckScriptResponder(responder: CheckScriptResponder): void;
  stats(name: string): HostStats;
  openShells(name: string): number;
  close(): Promise<void>;
};

type Connection = { login?: NtlmServerLogin; session?: NtlmSession; account?: NtlmAccount };

export async function startWinRmDouble(options: WinRmDoubleOptions): Promise<WinRmDouble> {
  const tls = options.tls ?? selfSignedCertificate();
  const certDer = new X509Certificate(tls.cert).raw;
  const states = new Map<string, HostState>();
  const stats = new Map<string, HostStats>();
  const shellsByHost = new Map<string, WsmanShells>();
  let responder = options.checkScriptResponder ?? defaultCheckScriptResponder;
  const servers: Array<http.Server | https.Server> = [];
  const hosts: FakeHost[] = [];
  // "DOMAIN\user", or a UPN "user@dns.domain" with an empty domain (as Windows clients send it).
  const lookup = (domain: string, user: string) => {
    const [name = "", upnDomain] = !domain && user.includes("@") ? user.split("@", 2) : [user];
    return options.accounts.find(
      (a) =>
        a.user.toLowerCase() === name.toLowerCase() &&
        (upnDomain
          ? upnDomain.toLowerCase() === (options.dnsDomain ?? "clinic.test").toLowerCase()
          : !domain || a.domain.toUpperCase() === domain.toUpperCase()),
    );
  };

  for (const spec of options.hosts) {
    states.set(spec.name, spec.state ?? "compliant");
    stats.set(spec.name, {
      logins: 0,
      channelBoundLogins: 0,
      failedLogins: 0,
      requests: 0,
      refusedUnencrypted: 0,
      scripts: [],
    });
    const hostStats = () => stats.get(spec.name) as HostStats;
    const run = async (script: string): Promise<ScriptOutput> => {
      hostStats().scripts.push(script);
      const state = states.get(spec.name) ?? "compliant";
      if (state === "slow") await new Promise((r) => setTimeout(r, options.slowMs ?? 1500));
      return runScript(script, state, responder, spec.name);
    };
    const shells = new WsmanShells({ run, holdMs: options.holdMs ?? 500 });
    shellsByHost.set(spec.name, shells);
    const connections = new WeakMap<Socket, Connection>();
    const netbiosName = spec.name.split(".")[0]?.toUpperCase().slice(0, 15) || "HOST";
    const identity = {
      netbiosDomain: options.netbiosDomain ?? "CLINIC",
      netbiosName,
      dnsDomain: options.dnsDomain ?? "clinic.test",
    };

    const handler = async (req: IncomingMessage, res: ServerResponse) => {
      const body = await readBody(req);
      hostStats().requests += 1;
      const conn = connections.get(req.socket) ?? {};
      connections.set(req.socket, conn);
      const auth = /^(Negotiate|NTLM)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      if (auth) {
        const token = Buffer.from(auth[2] ?? "", "base64");
        const type = token.length >= 12 ? token.readUInt32LE(8) : 0;
        if (type === 1) {
          conn.session = undefined;
          conn.login = new NtlmServerLogin(identity, lookup, spec.https ? tlsServerEndPoint(certDer) : undefined);
          const challenge = conn.login.challengeFor(token);
          return send(res, 401, { "WWW-Authenticate": `Negotiate ${challenge.toString("base64")}` });
        }
        const result =
          type === 3 && conn.login ? conn.login.verify(token) : ({ ok: false, reason: "protocol" } as const);
        conn.login = undefined;
        if (!result.ok || states.get(spec.name) === "wrong_password") {
          hostStats().failedLogins += 1;
          return send(res, 401, { "WWW-Authenticate": "Negotiate" });
        }
        hostStats().logins += 1;
        if (result.channelBound) hostStats().channelBoundLogins += 1;
        conn.session = result.session;
        conn.account = result.account;
        if (body.length === 0) return send(res, 200, {});
      }
      if (!conn.session) return send(res, 401, { "WWW-Authenticate": "Negotiate" });

      let xml: string;
      if (spec.https) {
        xml = body.toString("utf8");
      } else {
        if (!isEncryptedContentType(req.headers["content-type"])) {
          hostStats().refusedUnencrypted += 1;
          return send(res, 400, {});
        }
        try {
          xml = decodeEncryptedBody(conn.session, body).toString("utf8");
        } catch {
          conn.session = undefined;
          return send(res, 400, {});
        }
      }
      const reply = await shells.handle(xml);
      const plain = Buffer.from(reply.xml, "utf8");
      if (spec.https || spec.plainReplies) return send(res, reply.status, { "Content-Type": SOAP_CONTENT_TYPE }, plain);
      return send(
        res,
        reply.status,
        { "Content-Type": ENCRYPTED_CONTENT_TYPE },
        encodeEncryptedBody(conn.session, plain),
      );
    };

    const server = spec.https
      ? https.createServer({ key: tls.key, cert: tls.cert }, (q, s) => void handler(q, s).catch(() => s.destroy()))
      : http.createServer((q, s) => void handler(q, s).catch(() => s.destroy()));
    server.keepAliveTimeout = 120_000;
    if (spec.maxRequestsPerConnection) server.maxRequestsPerSocket = spec.maxRequestsPerConnection;
    const address = spec.address ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(spec.port ?? 0, address, () => resolve());
    });
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    const scheme = spec.https ? "https" : "http";
    hosts.push({ name: spec.name, address, port, https: !!spec.https, url: `${scheme}://${address}:${port}/wsman` });
  }

  const known = (name: string) => {
    if (!states.has(name)) throw new Error(`the WinRM double has no host ${name}`);
  };
  return {
    hosts,
    certificate: tls.cert,
    setHostState(name, state) {
      known(name);
      states.set(name, state);
    },
    hostState(name) {
      known(name);
      return states.get(name) as HostState;
    },
    setCheckScriptResponder(next) {
      responder = next;
    },
    stats(name) {
      known(name);
      return stats.get(name) as HostStats;
    },
    openShells(name) {
      known(name);
      return shellsByHost.get(name)?.openShells ?? 0;
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer = Buffer.alloc(0)) {
  res.writeHead(status, { ...headers, "Content-Length": String(body.length), Server: "Microsoft-HTTPAPI/2.0" });
  res.end(body);
}
