import type { z } from "zod";

/** A one-line, human-readable summary of zod issues: "client_name: expected a string; ttl_seconds: too big". */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], subject = "request"): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  return `Invalid ${subject}: ${parts.join("; ")}${more}`;
}
