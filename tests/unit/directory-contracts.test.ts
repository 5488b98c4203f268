/** The Active Directory wire contracts: what the appliance may send, and what it is refused with. */
import { describe, expect, it } from "vitest";
import {
  CaPem,
  CreateDomainCredentialRequest,
  DomainDiscoveredRequest,
  EnumerationResultsRequest,
  MAX_COMPUTERS_PER_POST,
} from "@/server/contracts";

const pc = (hostname: string) => ({ hostname, name: "PC", enabled: true });
const run = (extra: Record<string, unknown> = {}) => ({
  appliance_id: "a",
  domain: "Clinic.Local",
  servers: [],
  workstations: [],
  enumerated_at: "2026-12-02T10:00:00Z",
  ...extra,
});

describe("directory contracts", () => {
  it("takes a whole run without chunk fields (the seed's clients), with defaults filled in", () => {
    const parsed = EnumerationResultsRequest.parse(run({ servers: [pc("dc01.clinic.local")] }));
    expect(parsed.domain).toBe("clinic.local");
    expect(parsed.partial).toBe(false);
    expect(parsed.servers[0]?.is_domain_controller).toBe(false);
  });

  it("wants run_id and chunk together, and last only with them", () => {
    expect(EnumerationResultsRequest.safeParse(run({ run_id: "run-12345678", chunk: 0 })).success).toBe(true);
    expect(EnumerationResultsRequest.safeParse(run({ run_id: "run-12345678", chunk: 3, last: true })).success).toBe(
      true,
    );
    expect(EnumerationResultsRequest.safeParse(run({ run_id: "run-12345678" })).success).toBe(false);
    expect(EnumerationResultsRequest.safeParse(run({ chunk: 0 })).success).toBe(false);
    expect(EnumerationResultsRequest.safeParse(run({ last: true })).success).toBe(false);
    expect(EnumerationResultsRequest.safeParse(run({ run_id: "a:b", chunk: 0 })).success).toBe(false);
  });

  it("caps a post at MAX_COMPUTERS_PER_POST computers, servers and workstations together", () => {
    const half = Array.from({ length: MAX_COMPUTERS_PER_POST / 2 }, (_, i) => pc(`h${i}`));
    expect(EnumerationResultsRequest.safeParse(run({ servers: half, workstations: half })).success).toBe(true);
    const over = EnumerationResultsRequest.safeParse(run({ servers: half, workstations: [...half, pc("one-more")] }));
    expect(over.success).toBe(false);
    expect(JSON.stringify(over.error?.issues)).toContain("chunks");
  });

  it("accepts PEM certificates only", () => {
    const block = `-----BEGIN CERTIFICATE-----\n${"MIIB".repeat(19)}\nQUJD\n-----END CERTIFICATE-----`;
    expect(CaPem.safeParse(block).success).toBe(true);
    expect(CaPem.safeParse(`${block}\n${block}\n`).success).toBe(true);
    expect(CaPem.safeParse("-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----").success).toBe(false);
    expect(CaPem.safeParse(`${block}\nsomething else`).success).toBe(false);
    expect(CaPem.safeParse("").success).toBe(false);
    expect(
      CreateDomainCredentialRequest.safeParse({ domain: "clinic.local", username: "u", password: "p", ca_pem: "x" })
        .success,
    ).toBe(false);
  });

  it("takes a domain name and its controllers, refusing what is not a DNS name", () => {
    const ok = DomainDiscoveredRequest.parse({
      appliance_id: "a",
      domain: "CLINIC.local",
      domain_controllers: [{ hostname: "dc01.clinic.local", port: 389, priority: 0, weight: 100 }],
    });
    expect(ok.domain).toBe("clinic.local");
    for (const domain of ["", "clinic..local", "-clinic.local", "clinic local", "clinic.local."]) {
      expect(DomainDiscoveredRequest.safeParse({ appliance_id: "a", domain, domain_controllers: [] }).success).toBe(
        false,
      );
    }
  });
});
