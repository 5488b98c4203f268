/**
 * The OSIRIS_* environment variables, read in this one place (main.ts hands the environment to the CLI,
 * which parses it here). An empty variable counts as unset. Every problem is one line naming the
 * variable and the value, so a person can fix the unit file or shell that set it.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { apiUrl } from "../central-command/call-api";

function unsetWhenEmpty(value: unknown): unknown {
  return value === "" ? undefined : value;
}

function httpUrl(name: string) {
  return z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .transform((value, ctx) => {
        try {
          apiUrl(value, "/");
          return value;
        } catch {
          ctx.addIssue({ code: "custom", message: `${name} must be an http:// or https:// URL, got "${value}"` });
          return z.NEVER;
        }
      })
      .optional(),
  );
}

/** Seconds in the variable, as milliseconds. */
function positiveSecondsAsMs(name: string) {
  return z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .transform((value, ctx) => {
        const seconds = Number(value);
        if (Number.isFinite(seconds) && seconds > 0) return Math.round(seconds * 1000);
        ctx.addIssue({ code: "custom", message: `${name} must be a positive number of seconds, got "${value}"` });
        return z.NEVER;
      })
      .optional(),
  );
}

/** A whole number from 1 to `max`. */
function positiveInteger(name: string, max: number) {
  return z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .transform((value, ctx) => {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 1 && n <= max) return n;
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number from 1 to ${max}, got "${value}"` });
        return z.NEVER;
      })
      .optional(),
  );
}

/** A host part of "host", "host:port" or "[v6]:port" (the forms node:dns setServers takes). */
function dnsServerHost(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^([^:]+):\d+$/.exec(entry);
  return v4WithPort?.[1] ?? entry;
}

/** DNS servers, separated by commas or spaces, each an IP address with an optional port. */
function dnsServers(name: string) {
  return z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .transform((value, ctx) => {
        const entries = value.split(/[\s,]+/).filter(Boolean);
        const bad = entries.find((entry) => isIP(dnsServerHost(entry)) === 0);
        if (entries.length > 0 && bad === undefined) return entries;
        ctx.addIssue({
          code: "custom",
          message: `${name} must list DNS servers as IP addresses (optionally :port), got "${bad ?? value}"`,
        });
        return z.NEVER;
      })
      .optional(),
  );
}

export const ApplianceEnv = z.object({
  /** Central Command to provision with (the --api-endpoint flag wins). */
  OSIRIS_API_ENDPOINT: httpUrl("OSIRIS_API_ENDPOINT"),
  /** Where config.yaml is kept (the --state-dir flag wins). */
  OSIRIS_STATE_DIR: z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** Seconds to wait for an answer from Central Command. */
  OSIRIS_HTTP_TIMEOUT_S: positiveSecondsAsMs("OSIRIS_HTTP_TIMEOUT_S"),
  /** Check-in interval, overriding config.yaml and Central Command (for tests). */
  OSIRIS_POLL_INTERVAL_S: positiveSecondsAsMs("OSIRIS_POLL_INTERVAL_S"),
  /** DNS servers for domain discovery and DC names (default: the system's resolver); tests name the test DC. */
  OSIRIS_DNS_SERVERS: dnsServers("OSIRIS_DNS_SERVERS"),
  /** Hard time budget of one AD enumeration, in seconds (default 60). */
  OSIRIS_AD_ENUMERATION_BUDGET_S: positiveSecondsAsMs("OSIRIS_AD_ENUMERATION_BUDGET_S"),
  /** Windows servers scanned at once (default 16). */
  OSIRIS_SCAN_CONCURRENCY: positiveInteger("OSIRIS_SCAN_CONCURRENCY", 256),
  /** Time limit of one server's compliance scan, in seconds (default 60). */
  OSIRIS_SCAN_HOST_TIMEOUT_S: positiveSecondsAsMs("OSIRIS_SCAN_HOST_TIMEOUT_S"),
});
export type ApplianceEnv = z.output<typeof ApplianceEnv>;

export type EnvResult = { ok: true; env: ApplianceEnv } | { ok: false; error: string };

/** Parses the OSIRIS_* variables of `env` (others are ignored). Never throws. */
export function parseApplianceEnv(env: Readonly<Record<string, string | undefined>>): EnvResult {
  const parsed = ApplianceEnv.safeParse(env);
  if (parsed.success) return { ok: true, env: parsed.data };
  return { ok: false, error: parsed.error.issues[0]?.message ?? "invalid OSIRIS_* environment" };
}
