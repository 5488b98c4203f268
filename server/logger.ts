/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear in a logged object;
 * never interpolate a secret into a message string.
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

let root: pino.Logger | undefined;

export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: getEnv().LOG_LEVEL,
      base: { service: "central-command" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
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
