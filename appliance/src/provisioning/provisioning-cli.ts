/**
 * First-boot provisioning, TypeScript counterpart of the seed's compliance_agent/provisioning.py, with
 * the same functions, screens and error texts (see shared/seed/appliance-provisioning.md).
 *
 * The interactive screens (--provision-interactive, and first boot without a config).
 */
import type { Readable } from "node:stream";
import { PROVISION_CODE_LENGTH } from "../../../server/contracts";
import { LineReader } from "./line-reader";
import { completionScreen, failureLines, identityOf, type ProvisionOptions, provision, RULE } from "./provision";
import { normalizeProvisionCode } from "./provision-code";

export interface ProvisioningCliOptions extends ProvisionOptions {
  /** Where codes are typed; process.stdin by default. */
  input?: Readable;
  /** Server-side failures (wrong, expired or claimed code, no connection) before giving up. Default 5. */
  maxAttempts?: number;
}

/**
 * Interactive provisioning (the seed's screens). A malformed code is re-prompted without contacting the
 * server; after a failed claim another code may be entered, up to maxAttempts. End of input returns false.
 */
export async function runProvisioningCli(opts: ProvisioningCliOptions): Promise<boolean> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const errorOutput = opts.errorOutput ?? output;
  const maxAttempts = opts.maxAttempts ?? 5;
  const identity = identityOf(opts);

  output.write(
    [
      RULE,
      "  OsirisCare Appliance Provisioning",
      RULE,
      "",
      `MAC Address: ${identity.macAddress}`,
      `Hostname:    ${identity.hostname}`,
      "",
      "Enter your provision code (from partner dashboard):",
      `Format: ${"X".repeat(PROVISION_CODE_LENGTH)} (${PROVISION_CODE_LENGTH} characters)`,
      "",
      "",
    ].join("\n"),
  );

  const reader = new LineReader(input, output);
  try {
    let attempts = 0;
    for (;;) {
      const line = await reader.ask("Provision Code: ");
      if (line === null) {
        output.write("\n\nNo provision code entered; provisioning cancelled.\n");
        return false;
      }
      if (!reader.terminal) output.write("\n"); // piped input is not echoed: end the prompt line
      const normalized = normalizeProvisionCode(line);
      if (!normalized.ok) {
        output.write(`${normalized.error}. Please try again.\n\n`);
        continue;
      }

      output.write("\nProvisioning...\n");
      const outcome = await provision(normalized.code, opts, identity, (warning) => errorOutput.write(`${warning}\n`));
      if (outcome.ok) {
        output.write(completionScreen(outcome));
        return true;
      }
      output.write("\n");
      errorOutput.write(failureLines(outcome));
      attempts += 1;
      if (attempts >= maxAttempts) return false;
      output.write("\nEnter another provision code, or press Ctrl-D to cancel.\n\n");
    }
  } finally {
    reader.close();
  }
}
