import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { resetEnvCache } from "@/server/env";
import { createLogger } from "@/server/logger";

describe("logger redaction", () => {
  it("never writes secrets, wherever they sit in the logged object", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    process.env.LOG_LEVEL = "info";
    resetEnvCache();
    const log = createLogger(sink);
    log.info(
      {
        password: "hunter2-password",
        api_key: "appliance-key-xyz",
        body: { password: "nested-password", provision_code: "ABCD1234EFGH5678", api_key: "nested-key" },
        headers: { authorization: "Bearer occ_pat_secret", cookie: "osiris.session_token=abc" },
        token: "occ_pat_plain",
        safe: "visible-value",
      },
      "request",
    );
    expect(out).toContain("visible-value");
    for (const secret of [
      "hunter2-password",
      "appliance-key-xyz",
      "nested-password",
      "ABCD1234EFGH5678",
      "nested-key",
      "occ_pat_secret",
      "session_token=abc",
      "occ_pat_plain",
    ]) {
      expect(out).not.toContain(secret);
    }
  });
});

describe("secret path segments", () => {
  it("are cut out of every part of a log line: keys, nested objects, the message and error stacks", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    process.env.LOG_LEVEL = "info";
    resetEnvCache();
    const log = createLogger(sink);
    const code = "ABCD1234EFGH5678";
    const err = new Error(`failed at /api/provision/validate/${code}`);
    log.error(
      { path: `/api/provision/validate/${code}`, req: { url: `/api/provision/validate/${code}?x=1` }, err },
      `GET /api/provision/validate/${code} failed`,
    );
    log.child({ route: `/api/provision/validate/${code}` }).warn("child");
    expect(out).toContain("/api/provision/validate/[redacted]");
    expect(out).toContain("child");
    expect(out).not.toContain(code);
  });
});
