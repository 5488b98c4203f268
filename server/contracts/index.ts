/**
 * Every wire shape, as zod schemas. This is the one part of server/ that appliance/ may import:
 * keep it free of server code (no db, env, or Node-only imports).
 */

export * from "./activity";
export * from "./checkin";
export * from "./common";
export * from "./compliance";
export * from "./compliance-controls";
export * from "./compliance-settings";
export * from "./credential-access";
export * from "./credentials";
export * from "./dc-certificates";
export * from "./directory";
export * from "./health";
export * from "./lists";
export * from "./partner-compliance";
export * from "./partner-coverage";
export * from "./partners";
export * from "./provisioning";
export * from "./rekey";
export * from "./sealed-secret";
export * from "./targets-query";
export * from "./users";
