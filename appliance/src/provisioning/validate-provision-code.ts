/** Checking a code without claiming it: the partner's brand name and colour, and when it expires. */
import type { ValidateResponse } from "../../../server/contracts";
import { callApi, type RequestOptions } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import { failureResult } from "./claim-provision-code";
import { normalizeProvisionCode } from "./provision-code";

export type ValidateResult = { ok: true; data: ValidateResponse } | { ok: false; error: string; detail?: string };

/** Checks a code without claiming it (the partner's brand name and colour, and when it expires). */
export async function validateProvisionCode(
  code: string,
  apiEndpoint: string,
  opts: RequestOptions = {},
): Promise<ValidateResult> {
  const normalized = normalizeProvisionCode(code);
  if (!normalized.ok) return { ok: false, error: normalized.error };
  const result = await callApi(ENDPOINTS.validate, { code: normalized.code }, { ...opts, apiEndpoint });
  if (!result.ok) {
    const { error, detail } = failureResult(result.failure);
    return detail === undefined ? { ok: false, error } : { ok: false, error, detail };
  }
  return { ok: true, data: result.data };
}
