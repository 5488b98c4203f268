/** server/lib/csv.ts: quoting, doubled quotes, CRLF, and formulas defused. */
import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "@/server/lib/csv";

describe("csv", () => {
  it("quotes every field, doubles quotes and ends lines with CRLF", () => {
    expect(csvLine(["a", 'say "hi"', "x,y", "two\nlines", null, 3])).toBe(
      '"a","say ""hi""","x,y","two\nlines","","3"\r\n',
    );
  });

  it("defuses what a spreadsheet would run as a formula, and leaves a lone sign alone", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1+1")).toBe('"\'+1+1"');
    expect(csvField("-2")).toBe('"\'-2"');
    expect(csvField("@SUM(A1)")).toBe('"\'@SUM(A1)"');
    expect(csvField("-")).toBe('"-"');
    expect(csvField("2026-12-03T03:00:00.000Z")).toBe('"2026-12-03T03:00:00.000Z"');
  });
});
