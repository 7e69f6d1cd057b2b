import type { GetStatus, RunnerStatus } from "../status/runner-status.ts";
import type { StatusReader } from "./metric-family.ts";

/** The metrics read from the status at scrape time, all from one snapshot. */
export interface StatusSnapshot {
  /** `FamilyContext.fromStatus`: empty without a `getStatus`. */
  readonly fromStatus: { readonly collect?: () => Promise<void> };
  /** A family's reader, called at every scrape from then on. */
  add(reader: StatusReader): void;
}

export function statusSnapshot(
  getStatus: GetStatus | undefined,
  now: () => number,
): StatusSnapshot {
  const readers: StatusReader[] = [];

  // One status snapshot per scrape, shared by every gauge of that scrape (prom-client
  // calls each metric's collect in the same pass and awaits them together).
  let pending: Promise<void> | undefined;
  const refresh =
    getStatus === undefined
      ? undefined
      : (): Promise<void> => {
          pending ??= (async () => {
            try {
              // Gauges are rebuilt on every scrape so a label that no longer applies (the
              // source we left, a state we are no longer in) disappears instead of lingering
              // at its last value.
              for (const reader of readers) for (const gauge of reader.gauges) gauge.reset();
              let status: RunnerStatus;
              try {
                status = await getStatus();
              } catch {
                // The scrape still answers (process metrics, counters); /readyz says why.
                for (const reader of readers) reader.unavailable?.();
                return;
              }
              const at = now();
              for (const reader of readers) reader.read(status, at);
            } finally {
              queueMicrotask(() => {
                pending = undefined;
              });
            }
          })();
          return pending;
        };

  return {
    fromStatus: refresh === undefined ? {} : { collect: refresh },
    add: (reader) => {
      readers.push(reader);
    },
  };
}
