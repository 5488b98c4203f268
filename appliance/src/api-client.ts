/**
 * The appliance's HTTP client for Central Command. Every response is validated with the shared
 * contracts, so a server and an appliance that disagree fail loudly instead of misbehaving.
 */
import { ErrorResponse, HealthResponse } from "../../server/contracts";

export class CentralCommandError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "CentralCommandError";
  }
}

export async function fetchHealth(apiEndpoint: string, signal?: AbortSignal): Promise<HealthResponse> {
  const res = await fetch(new URL("/api/health", apiEndpoint), { signal });
  const body: unknown = await res.json();
  if (res.status !== 200 && res.status !== 503) {
    throw new CentralCommandError(res.status, ErrorResponse.safeParse(body).data?.error ?? `HTTP ${res.status}`);
  }
  return HealthResponse.parse(body);
}
