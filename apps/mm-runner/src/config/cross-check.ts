import { existsSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { gt, isMultipleOf, lt, parseDecimal } from "@matchingo-mm/core";
import type { Problem } from "./raw.ts";
import { checkSizes } from "./size-check.ts";
import { checkStrategy } from "./strategy-check.ts";
import type { ResolvedSymbol, ValuedSettings } from "./valued.ts";

/** The venue stores prices and sizes with 3 fractional digits and truncates anything finer. */
export const VENUE_STEP = "0.001";

/** The largest price or size the venue holds: an int64 of thousandths, (2^63 - 1) / 1000. */
export const VENUE_MAX = "9223372036854775.807";

/** Settings that become a price or a size on the venue, so must fit in it. */
const VENUE_VALUES = ["orderSize", "qtyStep", "priceTick", "priceMin", "priceMax"] as const;

/** Checks between settings that each passed on their own. */
export function crossCheck(
  global: ValuedSettings,
  symbols: readonly ResolvedSymbol[],
  cwd: string,
): Problem[] {
  const problems: Problem[] = [];
  const venueStep = parseDecimal(VENUE_STEP);
  const reported = new Set<string>();
  const once = (problem: Problem) => {
    const key = `${problem.name}|${problem.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push(problem);
  };

  const venueMax = parseDecimal(VENUE_MAX);
  for (const { config, names } of symbols) {
    const at = symbols.length > 1 ? ` (symbol ${config.symbol})` : "";
    for (const key of VENUE_VALUES) {
      const valued = names.get(key);
      const value = config[key];
      // ORDER_SIZE may be one size per level: each must fit.
      const values = value === undefined ? [] : key === "orderSize" ? value.split(",") : [value];
      if (valued && values.some((one) => gt(parseDecimal(one.trim()), venueMax))) {
        once({
          name: valued.name,
          value: valued.raw,
          message: `is more than the venue can hold (at most ${VENUE_MAX}: Matchingo keeps prices and sizes as int64 thousandths)${at}`,
        });
      }
    }
    for (const key of ["priceTick", "qtyStep"] as const) {
      const valued = names.get(key);
      if (valued && !isMultipleOf(parseDecimal(config[key]), venueStep)) {
        const why = lt(parseDecimal(config[key]), venueStep)
          ? "its precision: Matchingo would make it 0"
          : "Matchingo truncates finer digits";
        once({
          name: valued.name,
          value: valued.raw,
          message: `must be a multiple of the venue's ${VENUE_STEP} (${why})${at}`,
        });
      }
    }
    for (const problem of [
      ...checkSizes({ config, names }, at),
      ...checkStrategy({ config, names }, at),
    ]) {
      once(problem);
    }
    const priceMin = names.get("priceMin");
    const priceMax = names.get("priceMax");
    if (
      priceMin &&
      priceMax &&
      config.priceMin !== undefined &&
      config.priceMax !== undefined &&
      !lt(parseDecimal(config.priceMin), parseDecimal(config.priceMax))
    ) {
      once({
        name: priceMax.name,
        value: priceMax.raw,
        message: `must be above ${priceMin.name}=${config.priceMin} (no price could be quoted)${at}`,
      });
    }
    const stepPercent = names.get("priceStepPercent");
    if (config.numLevels > 1 && stepPercent && parseDecimal(config.priceStepPercent).units === 0n) {
      once({
        name: stepPercent.name,
        value: stepPercent.raw,
        message: `is 0, so the ${config.numLevels} levels of each side would share one price${at}`,
      });
    }
    const skew = names.get("inventorySkewPercent");
    if (skew && parseDecimal(config.inventorySkewPercent).units !== 0n) {
      if (config.maxPosition === undefined) {
        once({
          name: skew.name,
          value: skew.raw,
          message: `needs MAX_POSITION (the skew is a share of the position limit)${at}`,
        });
      } else if (!lt(parseDecimal(config.inventorySkewPercent), parseDecimal("100"))) {
        once({
          name: skew.name,
          value: skew.raw,
          message: `must be below 100 (the centre would reach 0 at the limit)${at}`,
        });
      }
    }
    const spread = names.get("baseSpreadPercent");
    if (spread && !lt(parseDecimal(config.baseSpreadPercent), parseDecimal("100"))) {
      once({
        name: spread.name,
        value: spread.raw,
        message: `must be below 100 (the bid would be at or below 0)${at}`,
      });
    }
  }

  if (symbols.length > 1) {
    const external = global.externalSymbol;
    if (external) {
      problems.push({
        name: external.name,
        value: external.raw,
        message:
          "applies to a single symbol; with several, set externalSymbol per symbol in the config file",
      });
    }
  }
  duplicates(symbols, "book", "book", problems);
  duplicates(symbols, "marketMakerId", "market-maker id", problems);

  const fillFeed = global.fillFeed;
  if (fillFeed?.value === "kafka" && !global.kafkaBrokers) {
    problems.push({
      name: fillFeed.name,
      value: fillFeed.raw,
      message: "is kafka, which needs KAFKA_BROKERS (or --kafka-brokers)",
    });
  }

  const sources = global.priceSources;
  const replayFile = global.replayFile;
  if (sources?.value.includes("replay")) {
    if (!replayFile) {
      problems.push({
        name: sources.name,
        value: sources.raw,
        message: "lists replay, which needs REPLAY_FILE (or --replay-file)",
      });
    } else if (!existsSync(resolvePath(cwd, replayFile.value))) {
      problems.push({ name: replayFile.name, value: replayFile.raw, message: "no such file" });
    }
  }
  return problems;
}

function duplicates(
  symbols: readonly ResolvedSymbol[],
  key: "book" | "marketMakerId",
  label: string,
  problems: Problem[],
): void {
  const seen = new Map<string, string>();
  for (const { config, names } of symbols) {
    const value = config[key];
    const other = seen.get(value);
    if (other === undefined) {
      seen.set(value, config.symbol);
      continue;
    }
    const valued = names.get(key);
    problems.push({
      name: valued?.name ?? `symbols.${config.symbol}.${key}`,
      value,
      message: `${config.symbol} and ${other} would share the ${label} ${JSON.stringify(value)}; each symbol needs its own`,
    });
  }
}
