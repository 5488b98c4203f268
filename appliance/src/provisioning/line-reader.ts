import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";

/** Lines from a readable stream, one at a time; null at end of input (or Ctrl-C / Ctrl-D on a terminal). */
export class LineReader {
  private readonly rl: Interface;
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | undefined;
  private closed = false;
  readonly terminal: boolean;

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    this.terminal = Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
    this.rl = createInterface({ input, output, terminal: this.terminal });
    this.rl.on("line", (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else {
        this.lines.push(line);
      }
    });
    this.rl.on("close", () => {
      this.closed = true;
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(null);
    });
    this.rl.on("SIGINT", () => this.rl.close());
  }

  ask(prompt: string): Promise<string | null> {
    const queued = this.lines.shift();
    this.rl.setPrompt(prompt);
    if (this.closed) {
      // piped input that has already ended: the remaining lines are queued
      if (queued === undefined) return Promise.resolve(null);
      this.output.write(prompt);
      return Promise.resolve(queued);
    }
    this.rl.prompt();
    if (queued !== undefined) return Promise.resolve(queued); // typed (or piped) ahead
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.rl.close();
  }
}
