/** A provisioned appliance's config.yaml, as the daemon tests start from it (one place, not one per test file). */
import { APPLIANCE_SETTING_DEFAULTS } from "../../../server/contracts";
import type { ApplianceConfig } from "../../src/config/config-file";
import { PARTNER, SITE_ID } from "./fake-central-command";

export const TEST_MAC = "84:3A:5B:91:B6:61";
export const TEST_APPLIANCE_ID = `${SITE_ID}-${TEST_MAC}`;
export const TEST_HOSTNAME = "clinic-appliance-01";

export function provisionedConfig(
  base: { rootSecret: string; apiEndpoint: string; stateDir: string },
  overrides: Partial<ApplianceConfig> = {},
): ApplianceConfig {
  return {
    site_id: SITE_ID,
    appliance_id: TEST_APPLIANCE_ID,
    appliance_secret: base.rootSecret,
    api_endpoint: base.apiEndpoint,
    ...APPLIANCE_SETTING_DEFAULTS,
    state_dir: base.stateDir,
    partner: { ...PARTNER },
    provisioned_at: "2026-01-04T15:30:00+00:00",
    mac_address: TEST_MAC,
    hostname: TEST_HOSTNAME,
    ...overrides,
  };
}
