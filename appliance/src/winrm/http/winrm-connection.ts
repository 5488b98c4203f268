/**
 * One keep-alive connection to one host's WinRM listener, logged in with NTLM:
 * - HTTP (5985): every body is sealed with NTLM session security (multipart/encrypted); a reply that is not
 *   sealed is refused, so nothing is ever read or sent in clear.
 * - HTTPS (5986): TLS protects the bodies; the login carries channel bindings to the server's certificate.
 * The login is bound to the TCP connection (as on Windows); when the host drops it, the next request is
 * answered 401 and the connection logs in again once. All requests share the caller's time limit (`signal`).
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { tlsServerEndPoint } from "../ntlm/channel-bindings.ts";
import { NtlmClient, type NtlmCredentials, splitUsername } from "../ntlm/client.ts";
import type { NtlmSession } from "../ntlm/session-security.ts";
import {
  decodeEncryptedBody,
  ENCRYPTED_CONTENT_TYPE,
  encodeEncryptedBody,
  isEncryptedContentType,
  SOAP_CONTENT_TYPE,
} from "./encrypted-body.ts";
import { describeNetworkError, WinRmError } from "./winrm-error.ts";

export type WinRmEndpoint = {
  host: string;
  port: number;
  https: boolean;
  /** PEM of the CA (or the self-signed certificate) to trust over HTTPS, instead of the system's CAs. */
  ca?: string | Buffer;
};

type Reply = { status: number; headers: IncomingMessage["headers"]; body: Buffer; socket: Socket };

export class WinRmConnection {
  private readonly agent: http.Agent;
  private readonly where: string;
  private session: NtlmSession | null = null;
  private loginSocket: Socket | null = null;

  constructor(
    private readonly endpoint: WinRmEndpoint,
    private readonly credentials: { username: string; password: string },
    private readonly signal: AbortSignal,
  ) {
    this.where = `${endpoint.host}:${endpoint.port} (${endpoint.https ? "HTTPS" : "HTTP"})`;
    const common = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1 };
    this.agent = endpoint.https
      ? new https.Agent({
          ...common,
          ca: endpoint.ca,
          servername: isIP(endpoint.host) ? undefined : endpoint.host,
        })
      : new http.Agent(common);
  }

  /** Sends one SOAP envelope and returns the reply envelope (faults included: their status is 500). */
  async post(envelope: string): Promise<{ status: number; body: string }> {
    for (let attempt = 0; ; attempt++) {
      const session = this.session ?? (await this.login());
      const plain = Buffer.from(envelope, "utf8");
      const reply = this.endpoint.https
        ? await this.send({ "Content-Type": SOAP_CONTENT_TYPE }, plain)
        : await this.send({ "Content-Type": ENCRYPTED_CONTENT_TYPE }, encodeEncryptedBody(session, plain));
      if (reply.status === 401 && attempt === 0) {
        this.session = null; // the host forgot the login (connection closed): log in again, once
        continue;
      }
      if (reply.status === 401) throw new WinRmError("auth_failed", `${this.where}: the login was not accepted`);
      return { status: reply.status, body: this.readBody(reply, session).toString("utf8") };
    }
  }

  close(): void {
    this.agent.destroy();
    this.session = null;
  }

  private readBody(reply: Reply, session: NtlmSession): Buffer {
    if (reply.socket !== this.loginSocket) {
      throw new WinRmError("protocol", `${this.where}: the reply came on a connection that was not logged in`);
    }
    const contentType = reply.headers["content-type"];
    if (this.endpoint.https) return reply.body;
    if (isEncryptedContentType(contentType)) {
      try {
        return decodeEncryptedBody(session, reply.body);
      } catch (err) {
        this.session = null;
        throw new WinRmError("protocol", `${this.where}: a sealed reply could not be read (${(err as Error).message})`);
      }
    }
    if (reply.body.length === 0) return reply.body;
    throw new WinRmError(
      "unencrypted",
      `${this.where}: the host answered without NTLM message encryption (HTTP ${reply.status}); refusing it`,
    );
  }

  /** NEGOTIATE → CHALLENGE → AUTHENTICATE on empty POSTs, as Windows clients do before sealed traffic. */
  private async login(): Promise<NtlmSession> {
    const { domain, user } = splitUsername(this.credentials.username);
    const client = new NtlmClient({ targetName: `HTTP/${this.endpoint.host}`, workstation: "" });
    const first = await this.send({ Authorization: `Negotiate ${client.negotiateMessage().toString("base64")}` });
    const challenge = negotiateToken(first.headers["www-authenticate"]);
    if (first.status !== 401 || !challenge) {
      throw new WinRmError(
        "protocol",
        `${this.where}: the host does not offer Negotiate/NTLM authentication (HTTP ${first.status})`,
      );
    }
    const channelBindings = this.endpoint.https
      ? tlsServerEndPoint((first.socket as TLSSocket).getPeerCertificate().raw)
      : undefined;
    const creds: NtlmCredentials = { domain, user, password: this.credentials.password };
    let authenticate: ReturnType<NtlmClient["authenticateMessage"]>;
    try {
      authenticate = client.authenticateMessage(challenge, creds, channelBindings);
    } catch (err) {
      throw new WinRmError("protocol", `${this.where}: ${(err as Error).message}`);
    }
    const second = await this.send({ Authorization: `Negotiate ${authenticate.message.toString("base64")}` });
    if (second.status === 401) {
      throw new WinRmError(
        "auth_failed",
        `${this.where}: the user name or password was refused for ${this.credentials.username}`,
      );
    }
    if (second.status >= 400) {
      throw new WinRmError("protocol", `${this.where}: the login ended with HTTP ${second.status}`);
    }
    if (second.socket !== first.socket) {
      throw new WinRmError("protocol", `${this.where}: the host closed the connection during the login`);
    }
    this.session = authenticate.session;
    this.loginSocket = second.socket;
    return authenticate.session;
  }

  private send(headers: Record<string, string>, body: Buffer = Buffer.alloc(0)): Promise<Reply> {
    const request = this.endpoint.https ? https.request : http.request;
    return new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: this.endpoint.host,
          port: this.endpoint.port,
          path: "/wsman",
          method: "POST",
          agent: this.agent,
          signal: this.signal,
          headers: { ...headers, "Content-Length": String(body.length), "User-Agent": "OsirisCare-Appliance WinRM" },
        },
        (res) => {
          const socket = res.socket; // detached from the response once it is returned to the agent's pool
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (err) => reject(describeNetworkError(err, this.where)));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              socket,
            }),
          );
        },
      );
      req.on("error", (err) => reject(describeNetworkError(err, this.where)));
      req.end(body);
    });
  }
}

function negotiateToken(header: string | undefined): Buffer | null {
  const match = /(?:^|,)\s*Negotiate\s+([A-Za-z0-9+/=]+)/i.exec(header ?? "");
  return match?.[1] ? Buffer.from(match[1], "base64") : null;
}
