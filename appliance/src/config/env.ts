/**
 * The OSIRIS_* environment variables, read in this one place (main.ts hands the environment to the CLI,
 * which parses it here). An empty variable counts as unset. Every problem is one line naming the
 * variable and the value, so a person can fix the unit file or shell that set it.
 */
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

export const ApplianceEnv = z.object({
  /** Central Command to provision with (the --api-endpoint flag wins). */
  OSIRIS_API_ENDPOINT: httpUrl("OSIRIS_API_ENDPOINT"),
  /** Where config.yaml is kept (the --state-dir flag wins). */
  OSIRIS_STATE_DIR: z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** Seconds to wait for an answer from Central Command. */
  OSIRIS_HTTP_TIMEOUT_S: positiveSecondsAsMs("OSIRIS_HTTP_TIMEOUT_S"),
  /** Check-in interval, overriding config.yaml and Central Command (for tests). */
  OSIRIS_POLL_INTERVAL_S: positiveSecondsAsMs("OSIRIS_POLL_INTERVAL_S"),
});
export type ApplianceEnv = z.output<typeof ApplianceEnv>;

export type EnvResult = { ok: true; env: ApplianceEnv } | { ok: false; error: string };

/** Parses the OSIRIS_* variables of `env` (others are ignored). Never throws. */
export function parseApplianceEnv(env: Readonly<Record<string, string | undefined>>): EnvResult {
  const parsed = ApplianceEnv.safeParse(env);
  if (parsed.success) return { ok: true, env: parsed.data };
  return { ok: false, error: parsed.error.issues[0]?.message ?? "invalid OSIRIS_* environment" };
}
