/**
 * PowerShell writes errors on stderr as CLIXML ("#< CLIXML" then <Objs>…). This turns them into the lines a
 * person would have seen in a console: the error records' text, progress records dropped, _xHHHH_ escapes undone.
 */
import { elements } from "./xml.ts";

export function readableStderr(stderr: string): string {
  const start = stderr.indexOf("#< CLIXML");
  if (start < 0) return stderr.trim();
  const before = stderr.slice(0, start).trim();
  const xml = stderr.slice(start + "#< CLIXML".length);
  const lines = elements(xml, "S")
    .filter((s) => s.attrs.S === "Error" || s.attrs.S === "warning" || s.attrs.S === "Warning")
    .map((s) => decodePsEscapes(s.text));
  const text = lines.join("").replace(/\r\n/g, "\n").trim();
  return [before, text].filter(Boolean).join("\n");
}

function decodePsEscapes(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
