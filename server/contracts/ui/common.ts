import { z } from "zod";

/** Dates travel as ISO 8601 strings: tRPC has no transformer here, so a Date would arrive as a string anyway. */
export const Timestamp = z.iso.datetime();

export const ApplianceStatusView = z.enum(["provisioning", "online", "offline", "error"]);
export type ApplianceStatusView = z.infer<typeof ApplianceStatusView>;
