import type { MarketMakerEvent } from "@matchingo-mm/core";
import { toWireError, type WireError } from "./wire-error.ts";

/** A field as it crosses the thread boundary: structured clone keeps no Error class. */
type WireField<T> = T extends Error ? WireError : T;

/** An event with its `Error` fields in wire form; every other field keeps its type. */
export type ToWire<E> = { readonly [K in keyof E]: WireField<E[K]> };

/**
 * Core's event union as it arrives from a worker, still discriminated by `type`: a reader
 * that switches on `type` gets each event's own fields, and a misspelt one does not compile.
 */
export type WireMarketMakerEvent = MarketMakerEvent extends infer E
  ? E extends MarketMakerEvent
    ? ToWire<E>
    : never
  : never;

/** What a worker reports as an `event`: core's events. */
export type WireEvent = WireMarketMakerEvent;

/** Replaces every `Error` field of an event by its wire form (one level deep is enough). */
export function eventToWire(event: MarketMakerEvent): WireMarketMakerEvent {
  const copy: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (value instanceof Error) copy[key] = toWireError(value);
  }
  return copy as unknown as WireMarketMakerEvent;
}
