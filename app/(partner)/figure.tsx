/** One labelled number in a card's grid of figures (a <dt>/<dd> pair inside the card's <dl>). */
export function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div className="min-w-0 rounded-lg bg-slate-50 px-3 py-2">
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd data-testid={testId} className="text-xl font-semibold tabular-nums">
        {value}
      </dd>
    </div>
  );
}
