import { inspect } from "node:util";

/**
 * A secret held in memory only. It shows as "[redacted]" when printed, logged, interpolated or
 * serialised, so a careless log line or JSON dump cannot leak it; `reveal()` is the one way in.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "[redacted]";
  }
}
