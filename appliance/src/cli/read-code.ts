/** The provision code from where --provision, --provision-file or --provision - said to take it. */
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { normalizeProvisionCode } from "../provisioning/provision-code";
import { type CodeSource, UsageError } from "./parse-args";

const MAX_CODE_INPUT_BYTES = 4096;

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_CODE_INPUT_BYTES) throw new UsageError("standard input is too long for a provision code");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The code from its source, normalised; UsageError when it is missing or malformed. */
export async function readCode(source: CodeSource, stdin: Readable): Promise<string> {
  let text: string;
  let origin: string;
  switch (source.from) {
    case "argument":
      text = source.code;
      origin = "--provision";
      break;
    case "file":
      origin = `--provision-file ${source.path}`;
      try {
        text = readFileSync(source.path, "utf8");
      } catch (err) {
        throw new UsageError(`${origin}: ${(err as Error).message}`);
      }
      break;
    case "stdin":
      origin = "--provision - (standard input)";
      text = await readAll(stdin);
      break;
  }
  const normalized = normalizeProvisionCode(text);
  if (!normalized.ok) throw new UsageError(`${origin}: ${normalized.error}`);
  return normalized.code;
}
