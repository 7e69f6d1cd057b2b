import { Counter, type Registry } from "prom-client";
import type { RunnerStatus } from "../status/runner-status.ts";
import type { ObservedEvent } from "./observed-events.ts";

/** What `createOpsMetrics` hands each family of metrics: where and how to register them. */
export interface FamilyContext {
  /** Prepended to every metric name. */
  readonly prefix: string;
  /** The runner's own registry, as prom-client's `registers`. */
  readonly registers: Registry[];
  /**
   * Spread into a metric read from the status: its `collect` refreshes the scrape's one
   * status snapshot (see `status-snapshot.ts`). Empty without a `getStatus`.
   */
  readonly fromStatus: { readonly collect?: () => Promise<void> };
  /** A counter named `prefix` + `name` on the registry. */
  counter(name: string, help: string, labelNames: readonly string[]): Counter<string>;
}

/** A family's part of reading the status at a scrape. */
export interface StatusReader {
  /** Reset before every read (a label that no longer applies disappears). */
  readonly gauges: readonly { reset(): void }[];
  /** Sets the family's metrics from the snapshot; `at` is ms since the epoch. */
  read(status: RunnerStatus, at: number): void;
  /** The status could not be read at this scrape. */
  unavailable?(): void;
}

/** One family of metrics: the events it counts and the part of the status it reads. */
export interface MetricFamily {
  /** Counts one event under the symbol label `about`; ignores the events it does not count. */
  readonly observe?: (about: string, event: ObservedEvent) => void;
  readonly status?: StatusReader;
}

export function familyContext(
  options: Omit<FamilyContext, "counter" | "registers"> & { readonly registry: Registry },
): FamilyContext {
  const registers = [options.registry];
  return {
    prefix: options.prefix,
    registers,
    fromStatus: options.fromStatus,
    counter: (name, help, labelNames) =>
      new Counter({ name: `${options.prefix}${name}`, help, labelNames, registers }),
  };
}

export const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Display-only conversion of a decimal string; NaN never reaches a metric. */
export function amount(value: string | number | undefined): number {
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : 0;
}
