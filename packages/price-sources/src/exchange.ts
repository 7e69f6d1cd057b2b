import type { CallOptions, Clock } from "@matchingo-mm/core";
import { PriceError, systemClock } from "@matchingo-mm/core";
import * as v from "valibot";
import type { Budget } from "./budget.ts";
import { createGate, type Gate } from "./gate.ts";
import { createHttpClient, type HttpOptions, type JsonAnswer } from "./http.ts";
import type { TickResults } from "./source.ts";
import { SymbolError, type SymbolOverrides } from "./symbols.ts";

/** Options every exchange adapter takes. */
export interface ExchangeOptions extends HttpOptions {
  /** Shown as `tick.source` and in errors; defaults to the exchange's name. */
  readonly name?: string;
  /** Canonical symbol → this exchange's symbol, where the rules do not fit. */
  readonly symbolOverrides?: SymbolOverrides;
  /** Request budget (token bucket); `false` turns it off. Defaults per exchange. */
  readonly budget?: Budget | false;
  /** Stay-away time after a 429 without a readable `Retry-After`. Default 10 s. */
  readonly defaultRetryAfterMs?: number;
  /** Time for cooldowns, budgets and `receivedAt`. */
  readonly clock?: Clock;
}

export interface ExchangeDefaults {
  readonly exchange: string;
  readonly baseUrl: string;
  readonly budget: Budget;
  /** The exchange's REST spelling of a canonical symbol (its folder's `symbols.ts`). */
  readonly spell: (symbol: string, overrides: SymbolOverrides) => string;
}

/** The plumbing an adapter shares with the others: symbols, gate, HTTP and error mapping. */
export interface ExchangeContext {
  readonly name: string;
  readonly clock: Clock;
  readonly gate: Gate;
  /**
   * Canonical → exchange symbol for each asked symbol; the ones that do not map get an
   * `unknown-symbol` error in `results`.
   */
  resolve(symbols: readonly string[], results: TickResults): Map<string, string>;
  /**
   * GETs JSON after spending `cost` from the budget. A rate limit closes the gate for its
   * `Retry-After`; every failure rejects with a `PriceError`.
   */
  get(pathAndQuery: string, cost: number, options?: CallOptions): Promise<JsonAnswer>;
  /** Validates `body` against `schema`, or throws `bad-payload` naming what differs. */
  parse<S extends v.GenericSchema>(schema: S, body: unknown, what: string): v.InferOutput<S>;
}

export function createExchangeContext(
  defaults: ExchangeDefaults,
  options: ExchangeOptions,
): ExchangeContext {
  const name = options.name ?? defaults.exchange;
  const clock = options.clock ?? systemClock;
  const gate = createGate(name, options.budget ?? defaults.budget, clock);
  const http = createHttpClient({
    ...options,
    source: name,
    baseUrl: options.baseUrl ?? defaults.baseUrl,
    clock,
    defaultRetryAfterMs: options.defaultRetryAfterMs ?? 10_000,
    defaultBanMs: 120_000,
  });
  const overrides = options.symbolOverrides ?? {};

  return {
    name,
    clock,
    gate,
    resolve(symbols, results) {
      const mapped = new Map<string, string>();
      for (const symbol of symbols) {
        try {
          mapped.set(symbol, defaults.spell(symbol, overrides));
        } catch (error) {
          if (!(error instanceof SymbolError)) throw error;
          results.set(
            symbol,
            new PriceError(`${name}: ${error.message}`, {
              kind: "unknown-symbol",
              source: name,
              symbol,
              cause: error,
            }),
          );
        }
      }
      return mapped;
    },
    async get(pathAndQuery, cost, callOptions) {
      const refused = gate.closed() ?? gate.spend(cost);
      if (refused) throw refused;
      try {
        return await http.getJson(pathAndQuery, callOptions);
      } catch (error) {
        if (error instanceof PriceError && error.kind === "rate-limited") {
          gate.coolDown(error.retryAfterMs ?? 0);
        }
        throw error;
      }
    },
    parse(schema, body, what) {
      const result = v.safeParse(schema, body);
      if (result.success) return result.output;
      const issue = result.issues[0];
      const path = issue ? v.getDotPath(issue) : null;
      throw new PriceError(
        `${name}: ${what} has an unexpected shape${path ? ` at ${path}` : ""}: ${issue?.message ?? "invalid"}`,
        { kind: "bad-payload", source: name, cause: new v.ValiError(result.issues) },
      );
    },
  };
}

/** Turns anything thrown while fetching into the `PriceError` it stands for. */
export function asPriceError(error: unknown, source: string): PriceError {
  if (error instanceof PriceError) return error;
  return new PriceError(`${source}: ${error instanceof Error ? error.message : String(error)}`, {
    kind: "bad-payload",
    source,
    cause: error,
  });
}
