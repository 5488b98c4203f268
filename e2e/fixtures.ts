import { readFileSync } from "node:fs";

export type Fixtures = {
  password: string;
  /** techEmail: a partner_technician of the same partner. */
  nepa: { email: string; token: string; slug: string; techEmail: string };
  other: { email: string; token: string; slug: string };
  /** A partner with a light brand colour (#F59E0B), for the contrast check of brand-coloured text. */
  amber: { email: string; slug: string; color: string };
  /** 500 sites, 10,000 appliances (none online), 50,000 alerts: scripts/lib/console-scale-seed.ts. */
  scale: { email: string; slug: string };
  platformAdmin: { email: string };
  /** NEPA technicians: one the lockout test locks, one for role and client-IP checks. */
  lockout: { email: string };
  technician: { email: string };
  /** A NEPA partner admin with a 70-character email (the header's layout). */
  longEmail: { email: string };
  /** The e2e database, for arranging state no API creates on demand (e.g. an alert). */
  databaseUrl: string;
  /** The server's environment (test values only), for a spec that runs a second instance of it. */
  serverEnv: Record<string, string>;
};

/** Written by scripts/e2e-server.ts before the server starts. */
export function fixtures(): Fixtures {
  return JSON.parse(readFileSync("tmp/e2e-fixtures.json", "utf8")) as Fixtures;
}
