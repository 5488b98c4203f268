/**
 * RFC 4180 CSV: every field quoted (quotes doubled), CRLF line ends. A field that a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or CR, and longer than one character) gets a leading
 * apostrophe, so an observed value from a scanned host can never become a formula on the partner's desk.
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (s.length > 1 && FORMULA.test(s)) s = `'${s}`;
  return `"${s.replaceAll('"', '""')}"`;
}

export function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}
