import { describe, expect, it } from "vitest";
import { activitySummary } from "@/server/domain/audit/activity-summary";

const base = { actorDetail: null, targetName: null, siteName: null, ip: null, metadata: {} };

describe("activitySummary", () => {
  it("reads as a sentence naming what was touched", () => {
    expect(activitySummary({ ...base, action: "credential.created", targetName: "File server" })).toBe(
      "Credential 'File server' added",
    );
    expect(
      activitySummary({ ...base, action: "credential.deleted", targetName: "File server", siteName: "Maple Clinic" }),
    ).toBe("Credential 'File server' deleted at Maple Clinic");
    expect(
      activitySummary({
        ...base,
        action: "credential.updated",
        targetName: "NAS",
        metadata: { renamed_from: "File server" },
      }),
    ).toBe("Credential 'File server' renamed to 'NAS'");
    expect(activitySummary({ ...base, action: "provision_code.revoked", targetName: "Maple Clinic" })).toBe(
      "Provision code for 'Maple Clinic' revoked",
    );
    expect(activitySummary({ ...base, action: "appliance.revoked", targetName: "osiris-01" })).toBe(
      "Appliance osiris-01 revoked",
    );
    expect(
      activitySummary({
        ...base,
        action: "user.sign_in_failed",
        actorDetail: "x@y.test",
        ip: "203.0.113.9",
        metadata: { reason: "wrong_password" },
      }),
    ).toBe("Sign-in failed for x@y.test from 203.0.113.9 (wrong password)");
    expect(activitySummary({ ...base, action: "user.sign_in_failed", metadata: { reason: "unknown_account" } })).toBe(
      "Sign-in failed for an unknown account (no such account)",
    );
    expect(
      activitySummary({
        ...base,
        action: "user.role_changed",
        targetName: "t@y.test",
        metadata: { from: "a", to: "b" },
      }),
    ).toBe("Role of t@y.test changed from a to b");
  });

  it("falls back to the action name for an action it does not know", () => {
    expect(activitySummary({ ...base, action: "thing.done", targetName: "x" })).toBe("thing.done (x)");
  });
});
