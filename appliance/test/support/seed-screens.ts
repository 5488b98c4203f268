/** The seed's provisioning screens, written out literally (not taken from src), as the tests expect them. */
import { PARTNER, SITE_ID } from "./fake-central-command";

/** The "Provisioning Complete!" screen after a claim against the fake Central Command. */
export function completionScreen(configFile: string): string {
  return [
    "",
    "============================================================",
    "  Provisioning Complete!",
    "============================================================",
    "",
    `Site ID:     ${SITE_ID}`,
    `Partner:     ${PARTNER.brand_name}`,
    `Config:      ${configFile}`,
    "",
    "The agent will now restart in normal operation mode.",
    "",
  ].join("\n");
}
