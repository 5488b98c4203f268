import { readFileSync } from "node:fs";

export type Fixtures = {
  password: string;
  nepa: { email: string; token: string; slug: string };
  other: { email: string; token: string; slug: string };
  platformAdmin: { email: string };
};

/** Written by scripts/e2e-server.ts before the server starts. */
export function fixtures(): Fixtures {
  return JSON.parse(readFileSync("tmp/e2e-fixtures.json", "utf8")) as Fixtures;
}
