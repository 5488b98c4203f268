import type { z } from "zod";

/** A zod error as one line a person can act on: "path: message; path: message" (at most `max` issues). */
export function describeIssues(error: z.ZodError, root: string, max: number = Number.POSITIVE_INFINITY): string {
  return error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : root}: ${issue.message}`)
    .join("; ");
}
