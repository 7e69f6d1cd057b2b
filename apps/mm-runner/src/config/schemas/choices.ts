import * as v from "valibot";
import { choice, text } from "./base.ts";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

export const boolean = v.pipe(
  text,
  v.transform((value) => value.toLowerCase()),
  v.check((value) => value in BOOLEANS, "must be true or false"),
  v.transform((value) => BOOLEANS[value]!),
);

export const fillFeed = choice(["kafka", "poll"], "must be kafka or poll");
export const logFormat = choice(["json", "pretty"], "must be json or pretty");
export const logLevel = choice(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`);
export const priceFeed = choice(["stream", "poll"], "must be stream or poll");
export const priceMode = choice(["failover", "median"], "must be failover or median");
export const priceType = choice(["mid", "last"], "must be mid or last");
export const requoteMode = choice(["diff", "replace-all"], "must be diff or replace-all");
export const strategy = choice(
  ["layered", "avellaneda-stoikov"],
  "must be layered or avellaneda-stoikov",
);
