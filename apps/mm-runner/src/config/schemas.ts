import { gt, isDecimalString, parseDecimal, ZERO } from "@matchingo-mm/core";
import { EXCHANGE_NAMES, SOURCE_NAMES, type SourceName } from "@matchingo-mm/price-sources";
import * as v from "valibot";
import type { SettingKind } from "./settings.ts";

// The sources PRICE_SOURCES may name are the price-sources registry's.
export { SOURCE_NAMES, type SourceName };
export const LIVE_SOURCES: readonly SourceName[] = EXCHANGE_NAMES;

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Text, or a number/boolean the file spelled without quotes. */
const text = v.pipe(
  v.union(
    [v.string(), v.number(), v.boolean()],
    "must be text (a string), not a list or a mapping",
  ),
  v.transform((value) => String(value).trim()),
);

/** A comma list, or a list in the config file. */
const list = v.pipe(
  v.union([v.string(), v.array(v.union([v.string(), v.number()]))], "must be a comma list"),
  v.transform((value) =>
    (Array.isArray(value) ? value.map(String) : value.split(","))
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  ),
);

const decimal = v.pipe(
  text,
  v.check(
    (value: string) => isDecimalString(value),
    "must be a plain decimal number like 0.1 (no exponent, no unit)",
  ),
);

const SYMBOL = /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/;
const symbolText = v.pipe(
  text,
  v.transform((value) => value.toUpperCase()),
  v.check((value) => SYMBOL.test(value), "must be BASE-QUOTE, e.g. BTC-USDT"),
);

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
function isHostPort(value: string, allowAnyPort = false): boolean {
  const match = HOST_PORT.exec(value);
  const port = Number(match?.[2]);
  return match !== null && (port > 0 || allowAnyPort) && port <= 65535;
}

function isSeconds(value: string): boolean {
  return isDecimalString(value) && Number(value) >= 0.05 && Number(value) <= 86_400;
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  "1": true,
  "0": false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

// biome-ignore lint/suspicious/noExplicitAny: one schema per kind, each with its own output
export const SCHEMAS: Record<SettingKind, v.GenericSchema<unknown, any>> = {
  address: v.pipe(
    text,
    // grpc-client also takes http:// (plaintext) and https:// (TLS) in front.
    v.check(
      (value) => isHostPort(value.replace(/^https?:\/\//, "")),
      "must be host:port, e.g. localhost:50051",
    ),
  ),
  brokers: v.pipe(
    list,
    v.minLength(1, "must name at least one broker"),
    v.check(
      (brokers) => brokers.every((broker) => isHostPort(broker)),
      "must be host:port pairs separated by commas, e.g. 127.0.0.1:9092",
    ),
  ),
  "fill-feed": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["kafka", "poll"], "must be kafka or poll"),
  ),
  "kafka-topic": v.pipe(
    text,
    v.regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name (letters, digits, . _ -)"),
  ),
  boolean: v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.check((value) => value in BOOLEANS, "must be true or false"),
    v.transform((value) => BOOLEANS[value]!),
  ),
  "decimal-positive": v.pipe(
    decimal,
    v.check((value) => gt(parseDecimal(value), ZERO), "must be greater than 0"),
  ),
  "decimal-non-negative": v.pipe(
    decimal,
    v.check((value) => !value.startsWith("-"), "must not be negative"),
  ),
  id: v.pipe(
    text,
    v.regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      "must be 1-64 letters, digits, dot, dash or underscore, starting with a letter or digit",
    ),
  ),
  "integer-attempts": v.pipe(
    text,
    v.regex(/^\d+$/, "must be a positive whole number (1 to 10)"),
    v.transform(Number),
    v.minValue(1, "must be at least 1"),
    v.maxValue(10, "must be at most 10"),
  ),
  "integer-confirmations": v.pipe(
    text,
    v.regex(/^\d+$/, "must be a positive whole number (1 to 100)"),
    v.transform(Number),
    v.minValue(1, "must be at least 1"),
    v.maxValue(100, "must be at most 100"),
  ),
  "integer-clients": v.pipe(
    text,
    v.regex(/^\d+$/, "must be a whole number"),
    v.transform(Number),
    v.minValue(1, "must be at least 1"),
    v.maxValue(10_000, "must be at most 10000"),
  ),
  "host-list": v.pipe(
    list,
    v.transform((names) => names.map((name) => name.toLowerCase())),
    v.check(
      (names) => names.every((name) => HOST_NAME.test(name)),
      "must be host names without port or scheme, comma separated, e.g. mm-1.internal,mm-1",
    ),
  ),
  "integer-levels": v.pipe(
    text,
    // "-3" and "2.5" alike: the message says what is wanted, not only what is wrong.
    v.regex(/^\d+$/, "must be a positive whole number (1 to 100)"),
    v.transform(Number),
    v.minValue(1, "must be at least 1"),
    v.maxValue(100, "must be at most 100"),
  ),
  "integer-seed": v.pipe(
    text,
    v.regex(/^\d{1,9}$/, "must be a whole number (up to 9 digits)"),
    v.transform(Number),
  ),
  "log-format": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["json", "pretty"], "must be json or pretty"),
  ),
  "log-level": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`),
  ),
  metadata: v.pipe(
    text,
    v.check(
      (value) =>
        value
          .split(",")
          .every((pair) => /^[a-z0-9._-]+=.*$/.test(pair.trim()) && !pair.trim().startsWith("=")),
      "must be key=value pairs separated by commas (lower-case keys)",
    ),
    v.transform((value) =>
      Object.fromEntries(
        value.split(",").map((pair) => {
          const at = pair.indexOf("=");
          return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        }),
      ),
    ),
  ),
  milliseconds: v.pipe(
    text,
    v.regex(/^\d{1,5}$/, "must be a whole number of ms from 0 to 60000"),
    v.transform(Number),
    v.maxValue(60_000, "must be a whole number of ms from 0 to 60000"),
  ),
  "metrics-address": v.pipe(
    text,
    v.check(
      // Port 0 picks a free port (the log says which).
      (value) => value.toLowerCase() === "off" || isHostPort(value, true),
      "must be host:port (e.g. 127.0.0.1:9464) or off",
    ),
  ),
  path: v.pipe(text, v.minLength(1, "must not be empty")),
  "price-feed": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["stream", "poll"], "must be stream or poll"),
  ),
  "price-mode": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["failover", "median"], "must be failover or median"),
  ),
  "price-type": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["mid", "last"], "must be mid or last"),
  ),
  "requote-mode": v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["diff", "replace-all"], "must be diff or replace-all"),
  ),
  seconds: v.pipe(
    text,
    v.check(isSeconds, "must be a number of seconds from 0.05 to 86400 (e.g. 10 or 0.5)"),
    v.transform((value) => Math.round(Number(value) * 1000)),
  ),
  sources: v.pipe(
    list,
    v.minLength(1, "must name at least one source"),
    v.check(
      (names) => names.every((name) => (SOURCE_NAMES as readonly string[]).includes(name)),
      `must list sources from ${SOURCE_NAMES.join(", ")}`,
    ),
    v.check((names) => new Set(names).size === names.length, "names a source twice"),
  ),
  /** One size, or one per level: a comma list or a list in the file, kept as `a,b,c`. */
  sizes: v.pipe(
    v.union(
      [v.string(), v.number(), v.array(v.union([v.string(), v.number()]))],
      "must be a size, or a list of one size per level",
    ),
    v.transform((value) =>
      (Array.isArray(value) ? value.map(String) : String(value).split(","))
        .map((item) => item.trim())
        .filter((item) => item !== ""),
    ),
    v.minLength(1, "must be a size, or one size per level like 0.01,0.02,0.04"),
    // One size keeps the message of every other decimal; a list says what a list needs.
    v.check(
      (items) => items.length > 1 || isDecimalString(items[0]),
      "must be a plain decimal number like 0.1 (no exponent, no unit)",
    ),
    v.check(
      (items) => items.length === 1 || items.every((item) => isDecimalString(item)),
      "must be plain decimal numbers, one per level like 0.01,0.02,0.04 (no exponent, no unit)",
    ),
    v.check(
      (items) => items.every((item) => !isDecimalString(item) || gt(parseDecimal(item), ZERO)),
      "must be greater than 0",
    ),
    v.transform((items) => items.join(",")),
  ),
  strategy: v.pipe(
    text,
    v.transform((value) => value.toLowerCase()),
    v.picklist(["layered", "avellaneda-stoikov"], "must be layered or avellaneda-stoikov"),
  ),
  symbol: symbolText,
  "symbol-list": v.pipe(
    list,
    v.minLength(1, "must name at least one symbol"),
    v.transform((names) => names.map((name) => name.toUpperCase())),
    v.check(
      (names) => names.every((name) => SYMBOL.test(name)),
      "every symbol must be BASE-QUOTE, e.g. BTC-USDT,ETH-USDT",
    ),
    v.check((names) => new Set(names).size === names.length, "names a symbol twice"),
  ),
  text: v.pipe(text, v.minLength(1, "must not be empty")),
  url: v.pipe(
    text,
    v.url("must be a URL like https://api.binance.com"),
    v.check((value) => /^https?:\/\//.test(value), "must be an http:// or https:// URL"),
  ),
  "ws-url": v.pipe(
    text,
    v.url("must be a URL like wss://ws.kraken.com/v2"),
    v.check((value) => /^wss?:\/\//.test(value), "must be a ws:// or wss:// URL"),
  ),
};
