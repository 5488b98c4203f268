/**
 * The keys this appliance uses now, from its config: derived from `appliance_secret` (v2), or, until an
 * appliance provisioned before v2 has rekeyed, its old `api_key` and the key pair derived from it (v1).
 */
import type { KeyObject } from "node:crypto";
import type { ApplianceConfig } from "../config/config-file";
import { deriveApplianceKeyPair, deriveApplianceKeys } from "./appliance-key";

export type CurrentKeys = { scheme: "v1" | "v2"; apiKey: string; privateKey: KeyObject };

export function currentKeys(config: ApplianceConfig): CurrentKeys {
  if (config.appliance_secret !== undefined) {
    const keys = deriveApplianceKeys(config.appliance_secret);
    return { scheme: "v2", apiKey: keys.apiKey, privateKey: keys.keyPair.privateKey };
  }
  if (config.api_key === undefined) throw new TypeError("config has neither appliance_secret nor api_key");
  return { scheme: "v1", apiKey: config.api_key, privateKey: deriveApplianceKeyPair(config.api_key).privateKey };
}
