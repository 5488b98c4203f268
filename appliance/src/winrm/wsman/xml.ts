/**
 * Just enough XML for WS-Man replies: elements are found by local name whatever their prefix (Windows and other
 * servers pick different prefixes), text is unescaped. Replies are small and machine-written; no DTDs, no
 * entities beyond the five predefined ones and character references.
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
}

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }[e] ?? "";
  });
}

export type XmlElement = { attrs: Record<string, string>; text: string };

/** Every element with this local name: its attributes (by local name) and its inner text (unescaped). */
export function elements(xml: string, localName: string): XmlElement[] {
  const re = new RegExp(
    `<(?:[\\w.-]+:)?${localName}((?:\\s+[\\w.:-]+\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${localName}\\s*>)`,
    "g",
  );
  return [...xml.matchAll(re)].map((m) => ({ attrs: attributes(m[1] ?? ""), text: unescapeXml(m[2] ?? "") }));
}

export function firstText(xml: string, localName: string): string | undefined {
  return elements(xml, localName)[0]?.text;
}

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = (m[1] ?? "").replace(/^[\w.-]+:/, "");
    out[name] = unescapeXml(m[2] ?? m[3] ?? "");
  }
  return out;
}
