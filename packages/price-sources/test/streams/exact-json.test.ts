import { describe, expect, it } from "vitest";
import { ExactJsonError, JsonNumber, parseExactJson } from "../../src/index.ts";

describe("parseExactJson", () => {
  it("keeps every number as the literal text it was sent as", () => {
    const parsed = parseExactJson(
      '{"bid":50000.123456789012345678,"qty":-0.5,"big":12345678901234567890,"e":1e-7,"n":[0,1.0]}',
    ) as Record<string, unknown>;
    expect(parsed.bid).toEqual(new JsonNumber("50000.123456789012345678"));
    expect((parsed.qty as JsonNumber).text).toBe("-0.5");
    expect((parsed.big as JsonNumber).text).toBe("12345678901234567890");
    expect((parsed.e as JsonNumber).text).toBe("1e-7");
    expect((parsed.n as JsonNumber[]).map((n) => n.text)).toEqual(["0", "1.0"]);
  });

  it("reads strings, escapes, literals and nesting like JSON.parse", () => {
    const text = '{"a":"x\\"y\\u00e9","b":[true,false,null,{}],"c":{"d":[]}}';
    expect(parseExactJson(text)).toEqual(JSON.parse(text));
  });

  it("does not let a key named __proto__ touch the prototype", () => {
    const parsed = parseExactJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
  });

  it.each([
    "",
    "{",
    '{"a":}',
    '{"a":1,}',
    "[1 2]",
    '{"a":01}',
    '{"a":1.}',
    '{"a":NaN}',
    '"unterminated',
    "{} trailing",
    "[".repeat(100) + "]".repeat(100),
  ])("refuses %j with an ExactJsonError", (text) => {
    expect(() => parseExactJson(text)).toThrow(ExactJsonError);
  });
});
