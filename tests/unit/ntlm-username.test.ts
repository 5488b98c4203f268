import { describe, expect, it } from "vitest";
import { ntlmUsername } from "@/server/domain/checkin/ntlm-username";

describe("ntlmUsername", () => {
  it("is NETBIOS\\user when the domain's NetBIOS name is known", () => {
    expect(ntlmUsername("osiris-scan", { dnsName: "clinic.test", netbiosName: "CLINIC" })).toBe("CLINIC\\osiris-scan");
  });

  it("upper-cases the NetBIOS name and trims both parts", () => {
    expect(ntlmUsername(" scanner ", { dnsName: "clinic.test", netbiosName: " clinic " })).toBe("CLINIC\\scanner");
  });

  it("is user@dns.domain when the NetBIOS name is unknown or blank", () => {
    expect(ntlmUsername("scanner", { dnsName: "Clinic.Test", netbiosName: null })).toBe("scanner@clinic.test");
    expect(ntlmUsername("scanner", { dnsName: "clinic.test.", netbiosName: "  " })).toBe("scanner@clinic.test");
  });

  it("keeps a username the partner already qualified", () => {
    expect(ntlmUsername("OTHER\\scanner", { dnsName: "clinic.test", netbiosName: "CLINIC" })).toBe("OTHER\\scanner");
    expect(ntlmUsername("scanner@corp.example", { dnsName: "clinic.test", netbiosName: "CLINIC" })).toBe(
      "scanner@corp.example",
    );
  });

  it("is the bare user when no domain is known at all", () => {
    expect(ntlmUsername("scanner", { dnsName: null, netbiosName: null })).toBe("scanner");
  });
});
