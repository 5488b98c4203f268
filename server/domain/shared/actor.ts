import type { AuditInput } from "../audit/record-audit-event";

/** Who did something, as audit events record it: a user, a partner token, an appliance or the system. */
export type Actor = Pick<AuditInput, "actorType" | "actorId" | "ip">;
