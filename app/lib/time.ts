/** "12 s ago", "4 min ago", else the local date and time; "never" for no time. */
export function ago(when: string | Date | null, now = Date.now()): string {
  if (!when) return "never";
  const t = new Date(when).getTime();
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return new Date(t).toLocaleString();
}
