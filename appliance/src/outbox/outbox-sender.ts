/**
 * Sends one journaled report and says what the outbox should do with it: delete it (Central Command answered
 * 2xx), set it aside (a refusal that waiting cannot change: isPermanentFailure), or keep it and try again later
 * (no connection, a timeout, 5xx, 429, 401, an answer cut off; with the server's Retry-After when it sent one).
 * Only a 2xx deletes a report: a 2xx whose body the contract does not expect still means Central Command took it.
 */
import { type ApiFailure, describeFailure, isPermanentFailure } from "../central-command/api-failure";
import { type CallOptions, callApi } from "../central-command/call-api";
import type { OutboxRecord } from "./outbox-record";
import type { ReportKind } from "./report-kinds";

export type SendOutcome =
  | { result: "acknowledged"; status: number; note?: string }
  | { result: "refused"; status?: number; error: string }
  | { result: "retry"; error: string; retryAfterMs?: number }
  /** The daemon is stopping: nothing is known about this attempt; the report stays. */
  | { result: "stopped" };

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function classifyFailure(failure: ApiFailure): SendOutcome {
  if (failure.kind === "aborted") return { result: "stopped" };
  if ((failure.kind === "http" || failure.kind === "invalid-response") && isSuccess(failure.status)) {
    return { result: "acknowledged", status: failure.status, note: describeFailure(failure) };
  }
  if (isPermanentFailure(failure)) {
    return {
      result: "refused",
      ...(failure.kind === "http" ? { status: failure.status } : {}),
      error: describeFailure(failure),
    };
  }
  const retryAfterS = failure.kind === "http" ? failure.retryAfterSeconds : undefined;
  return {
    result: "retry",
    error: describeFailure(failure),
    ...(retryAfterS !== undefined ? { retryAfterMs: retryAfterS * 1000 } : {}),
  };
}

export async function sendRecord(record: OutboxRecord, kind: ReportKind, opts: CallOptions): Promise<SendOutcome> {
  const result = await callApi(kind.endpoint, record.body, opts);
  if (result.ok) return { result: "acknowledged", status: kind.endpoint.successStatus ?? 200 };
  return classifyFailure(result.failure);
}
