import { checkSetting } from "./check.ts";
import { optional } from "./optional.ts";
import type { Layer, Problem } from "./raw.ts";
import { id } from "./schemas.ts";
import { SETTINGS, type SettingValues, type SymbolSettingKey } from "./settings.ts";
import type { SymbolConfig } from "./types.ts";
import type { ResolvedSymbol, SymbolValuedKey, Valued, ValuedSettings } from "./valued.ts";

/** The Matchingo book of a symbol: only in the config file, per symbol. */
const BOOK_SETTING = { schema: id };

/**
 * One symbol's settings: its own from the config file's `symbols:` over the runner-wide
 * ones. Problems are added to `problems`; the config is built even then, so the checks
 * between settings still run and every problem is reported at once.
 */
export function resolveSymbol(
  symbol: string,
  symbolCount: number,
  global: ValuedSettings,
  overrides: Layer | undefined,
  problems: Problem[],
): ResolvedSymbol {
  const names = new Map<SymbolValuedKey, Valued>();
  for (const setting of SETTINGS) {
    if (setting.scope !== "symbol") continue;
    const key = setting.key as SymbolSettingKey;
    const raw = overrides?.get(key);
    const checked = raw === undefined ? global[key] : checkSetting(setting, raw, problems, "file");
    if (checked !== undefined) names.set(key, checked);
  }
  const bookRaw = overrides?.get("book");
  let book = symbol;
  if (bookRaw !== undefined) {
    const checked = checkSetting(BOOK_SETTING, bookRaw, problems, "file");
    if (checked !== undefined) {
      book = checked.value;
      names.set("book", checked);
    }
  }

  const globalId = global.marketMakerId;
  if (overrides?.get("marketMakerId") === undefined && symbolCount > 1 && globalId) {
    // Several symbols must not share an id: order ids and the trade log's user_address
    // tell them apart.
    names.set("marketMakerId", {
      ...globalId,
      value: `${globalId.value}-${symbol}`,
      name: `${globalId.name} + symbol`,
    });
  }
  if (overrides?.get("externalSymbol") === undefined && global.externalSymbol && symbolCount > 1) {
    names.delete("externalSymbol");
  }

  const values = symbolValues(names);
  const config: SymbolConfig = {
    symbol,
    book,
    marketMakerId: values.marketMakerId,
    ...optional("externalSymbol", values.externalSymbol),
    numLevels: values.numLevels,
    baseSpreadPercent: values.baseSpreadPercent,
    priceStepPercent: values.priceStepPercent,
    orderSize: values.orderSize,
    ...optional("orderSizeStep", values.orderSizeStep),
    ...optional("orderSizeMultiplier", values.orderSizeMultiplier),
    strategy: values.strategy,
    asGamma: values.asGamma,
    asKappa: values.asKappa,
    ...optional("asHorizonSeconds", values.asHorizonSeconds),
    volatilityWindowSeconds: values.volatilityWindowSeconds,
    updateIntervalMs: values.updateIntervalSeconds,
    priceTick: values.priceTick,
    qtyStep: values.qtyStep,
    requoteMode: values.requoteMode,
    refreshTolerancePercent: values.refreshTolerancePercent,
    minRequoteIntervalMs: values.minRequoteIntervalMs,
    maxPriceAgeMs: values.maxPriceAgeSeconds,
    syntheticStartPrice: values.syntheticStartPrice ?? plausiblePrice(symbol),
    ...optional("maxPosition", values.maxPosition),
    inventorySkewPercent: values.inventorySkewPercent,
    makerFeeBps: values.makerFeeBps,
    ...optional("maxLoss", values.maxLoss),
    ...optional("maxDrawdown", values.maxDrawdown),
    ...optional("priceMin", values.priceMin),
    ...optional("priceMax", values.priceMax),
    origins: Object.fromEntries([...names].map(([key, valued]) => [key, valued.name])),
    sources: Object.fromEntries([...names].map(([key, valued]) => [key, valued.source])),
  };
  return { config, names };
}

/**
 * The symbol's values by setting. A value that failed its schema is missing (its problem
 * is reported), so these are only trusted once no problem was found.
 */
function symbolValues(
  names: ReadonlyMap<SymbolValuedKey, Valued>,
): Pick<SettingValues, SymbolSettingKey> {
  const values: Record<string, unknown> = {};
  for (const [key, valued] of names) values[key] = valued.value;
  return values as Pick<SettingValues, SymbolSettingKey>;
}

const PLAUSIBLE: Record<string, string> = {
  BTC: "50000",
  XBT: "50000",
  ETH: "3000",
  SOL: "150",
  BNB: "600",
};

/** A start for the synthetic walk that looks like the asset (the sandbox only). */
function plausiblePrice(symbol: string): string {
  return PLAUSIBLE[symbol.split("-")[0] ?? ""] ?? "100";
}
