/**
 * A JSON reader that keeps every number as the literal text it was sent as: Kraken's v2
 * feed sends prices as JSON numbers, and `JSON.parse` would pass them through a double
 * (`50000.123456789012345678` would lose digits). Strings, objects and arrays come out as
 * usual; numbers as `JsonNumber`.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

export type ExactJson =
  | null
  | boolean
  | string
  | JsonNumber
  | readonly ExactJson[]
  | { readonly [key: string]: ExactJson };

export class ExactJsonError extends Error {
  override readonly name = "ExactJsonError";
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses `text` like `JSON.parse`, numbers as `JsonNumber`; throws `ExactJsonError`. */
export function parseExactJson(text: string): ExactJson {
  let at = 0;

  const fail = (what: string): never => {
    throw new ExactJsonError(`${what} at offset ${at}`);
  };
  const skip = () => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at += 1;
      else break;
    }
  };

  function value(depth: number): ExactJson {
    if (depth > 64) fail("nested too deep");
    skip();
    const c = text[at];
    if (c === "{") return object(depth);
    if (c === "[") return array(depth);
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = at;
      const match = NUMBER.exec(text);
      if (!match) return fail("bad number");
      at += match[0].length;
      return new JsonNumber(match[0]);
    }
    for (const [word, result] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return result;
      }
    }
    return fail(c === undefined ? "unexpected end" : `unexpected ${JSON.stringify(c)}`);
  }

  function string(): string {
    const start = at;
    at += 1;
    let escaped = false;
    while (at < text.length) {
      const c = text[at];
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') {
        at += 1;
        // The standard parser decodes escapes; the literal is already delimited.
        try {
          return JSON.parse(text.slice(start, at)) as string;
        } catch (cause) {
          throw new ExactJsonError(`bad string at offset ${start}`, { cause });
        }
      }
      at += 1;
    }
    return fail("unterminated string");
  }

  function object(depth: number): { [key: string]: ExactJson } {
    at += 1;
    const result: { [key: string]: ExactJson } = {};
    skip();
    if (text[at] === "}") {
      at += 1;
      return result;
    }
    for (;;) {
      skip();
      if (text[at] !== '"') fail("expected a key");
      const key = string();
      skip();
      if (text[at] !== ":") fail("expected ':'");
      at += 1;
      Object.defineProperty(result, key, {
        value: value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skip();
      if (text[at] === ",") {
        at += 1;
        continue;
      }
      if (text[at] === "}") {
        at += 1;
        return result;
      }
      fail("expected ',' or '}'");
    }
  }

  function array(depth: number): ExactJson[] {
    at += 1;
    const result: ExactJson[] = [];
    skip();
    if (text[at] === "]") {
      at += 1;
      return result;
    }
    for (;;) {
      result.push(value(depth + 1));
      skip();
      if (text[at] === ",") {
        at += 1;
        continue;
      }
      if (text[at] === "]") {
        at += 1;
        return result;
      }
      fail("expected ',' or ']'");
    }
  }

  const result = value(0);
  skip();
  if (at !== text.length) fail("trailing text");
  return result;
}
