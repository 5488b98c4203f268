/** The appliance agent's version, sent as agent_version with every check-in. */
export const APPLIANCE_VERSION = "0.1.0";
