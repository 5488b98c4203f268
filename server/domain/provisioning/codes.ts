import { randomBytes } from "node:crypto";
import { PROVISION_CODE_LENGTH } from "@/server/contracts";
import { hashSecret } from "../security/secrets";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const PROVISION_CODE_PURPOSE = "provision-code";

/** 16 characters of [A-Z0-9] from a CSPRNG, uniformly (bytes >= 252 are rejected to avoid modulo bias). */
export function generateProvisionCode(): string {
  let code = "";
  while (code.length < PROVISION_CODE_LENGTH) {
    for (const byte of randomBytes(32)) {
      if (byte < 252 && code.length < PROVISION_CODE_LENGTH) code += ALPHABET[byte % 36];
    }
  }
  return code;
}

export const hashProvisionCode = (code: string) => hashSecret(code, PROVISION_CODE_PURPOSE);

/** A readable site id: partner slug + client name + short random suffix, e.g. "nepa-it-smith-clinic-k3x9q2". */
export function makeSiteId(partnerSlug: string, clientName: string): string {
  const client = clientName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30)
    .replace(/-+$/g, "");
  const suffix = Array.from(randomBytes(6), (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
  return [partnerSlug, client || "site", suffix].join("-");
}

export type CodeRow = { expiresAt: Date; claimedAt: Date | null; revokedAt: Date | null };

export function codeState(row: CodeRow, now = new Date()): "pending" | "claimed" | "expired" | "revoked" {
  if (row.claimedAt) return "claimed";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "pending";
}
