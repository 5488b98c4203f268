/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear in a logged object;
 * never interpolate a secret into a message string. Secrets that travel in a URL path (the provision
 * code in /api/provision/validate/{code}) are cut out of every finished log line, whatever key,
 * message or stack trace carries the path.
 */
import pino from "pino";
import { getEnv } from "./env";

export const REDACT_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "api_key",
  "*.api_key",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "api_token",
  "*.api_token",
  "provision_code",
  "*.provision_code",
  "code",
  "*.code",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "cookie",
  "*.cookie",
];

/** URL paths whose last segment is a secret; the segment becomes [redacted]. */
const SECRET_PATH_SEGMENTS = [/(\/api\/provision\/validate\/)[^/?#\s"'\\]+/gi];

export function redactSecretPaths(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATH_SEGMENTS) out = out.replace(pattern, "$1[redacted]");
  return out;
}

let root: pino.Logger | undefined;

export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: getEnv().LOG_LEVEL,
      base: { service: "central-command" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      // The last step before a line is written, so no path reaches the output unredacted.
      hooks: { streamWrite: redactSecretPaths },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export function logger(): pino.Logger {
  root ??= createLogger();
  return root;
}

/** Replaces the process logger (tests capture log output this way). */
export function setLogger(next: pino.Logger): void {
  root = next;
}
