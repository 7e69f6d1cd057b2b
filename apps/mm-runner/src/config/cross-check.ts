import { existsSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { isMultipleOf, lt, parseDecimal } from "@matchingo-mm/core";
import type { Problem } from "./raw.ts";
import type { ResolvedSymbol, Valued } from "./resolve.ts";

/** The venue stores prices and sizes with 3 fractional digits and truncates anything finer. */
export const VENUE_STEP = "0.001";

/** Checks between settings that each passed on their own. */
export function crossCheck(
  global: ReadonlyMap<string, Valued>,
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

  for (const { config, names } of symbols) {
    const at = symbols.length > 1 ? ` (symbol ${config.symbol})` : "";
    for (const key of ["priceTick", "qtyStep"] as const) {
      const valued = names.get(key);
      if (valued && !isMultipleOf(parseDecimal(config[key]), venueStep)) {
        once({
          name: valued.name,
          value: valued.raw,
          message: `must be a multiple of the venue's ${VENUE_STEP} (Matchingo truncates finer digits)${at}`,
        });
      }
    }
    const size = names.get("orderSize");
    const step = names.get("qtyStep");
    if (size && step) {
      const sizeValue = parseDecimal(config.orderSize);
      const stepValue = parseDecimal(config.qtyStep);
      if (lt(sizeValue, stepValue)) {
        once({
          name: size.name,
          value: size.raw,
          message: `is below the lot step ${step.name}=${config.qtyStep}${at}`,
        });
      } else if (!isMultipleOf(sizeValue, stepValue)) {
        once({
          name: size.name,
          value: size.raw,
          message: `is not a multiple of the lot step ${step.name}=${config.qtyStep}${at}`,
        });
      }
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
    const external = global.get("externalSymbol");
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

  const fillFeed = global.get("fillFeed");
  if (fillFeed?.value === "kafka" && !global.get("kafkaBrokers")) {
    problems.push({
      name: fillFeed.name,
      value: fillFeed.raw,
      message: "is kafka, which needs KAFKA_BROKERS (or --kafka-brokers)",
    });
  }

  const sources = global.get("priceSources");
  const replayFile = global.get("replayFile");
  if ((sources?.value as string[] | undefined)?.includes("replay")) {
    if (!replayFile) {
      problems.push({
        name: sources!.name,
        value: sources!.raw,
        message: "lists replay, which needs REPLAY_FILE (or --replay-file)",
      });
    } else if (!existsSync(resolvePath(cwd, replayFile.value as string))) {
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
