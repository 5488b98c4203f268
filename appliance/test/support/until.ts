/** Polls `condition` until it holds; throws when it has not within `timeoutMs` (the test then fails). */
export async function until(condition: () => boolean, timeoutMs = 15_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
