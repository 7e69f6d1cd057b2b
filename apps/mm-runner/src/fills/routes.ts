import { parseOrderId } from "@matchingo-mm/core";
import type { SymbolConfig } from "../config/types.ts";

/**
 * Which symbol an order id belongs to. Every symbol quotes under its own market-maker id
 * (the configuration refuses two symbols with one) and every id we send starts with it,
 * so the id alone says whose it is: no table to keep, and the ids of an earlier run (a
 * restart, replaying the stream) are routed the same way.
 */
export function orderRoutes(
  symbols: readonly Pick<SymbolConfig, "symbol" | "marketMakerId">[],
): (orderId: string) => string | undefined {
  const byOwner = new Map(symbols.map((s) => [s.marketMakerId, s.symbol]));
  return (orderId) => {
    const owner = parseOrderId(orderId)?.marketMakerId;
    return owner === undefined ? undefined : byOwner.get(owner);
  };
}
