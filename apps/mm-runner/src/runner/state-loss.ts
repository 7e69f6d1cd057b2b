import { identityOf, type StateLock } from "../journal/lock.ts";
import { type StateWatch, watchState } from "../journal/state-watch.ts";
import type { Ledger } from "../ledger/ledger.ts";

export interface StateLoss {
  /** Resolves, once, with the message of the first loss (see `Runner.stateLost`). */
  readonly lost: Promise<string>;
  /** The message of the loss, undefined while the state is still the run's. */
  message(): string | undefined;
  /** Reports a loss: the watch's, or a worker's (its journal is no longer ours). */
  readonly onLost: (message: string) => void;
  readonly watch: StateWatch;
}

/** Watches the state folder and the files the run holds in it: its lock and its ledger. */
export function watchStateLoss(parts: {
  readonly runnerDir: string;
  readonly lock: StateLock;
  readonly ledger: Ledger;
  readonly stateCheckMs: number | undefined;
}): StateLoss {
  const { runnerDir, lock, ledger, stateCheckMs } = parts;
  let lostState: string | undefined;
  let resolveStateLost!: (message: string) => void;
  const stateLost = new Promise<string>((resolve) => {
    resolveStateLost = resolve;
  });
  const onStateLost = (message: string) => {
    if (lostState !== undefined) return;
    lostState = message;
    resolveStateLost(message);
  };
  const watch = watchState({
    paths: [
      { path: runnerDir, what: "state folder", identity: lock.identity.dir },
      { path: lock.path, what: "state lock", identity: lock.identity.lockFile },
      { path: ledger.path, what: "ledger", identity: identityOf(ledger.path) },
    ],
    ...(stateCheckMs === undefined ? {} : { intervalMs: stateCheckMs }),
    onLost: onStateLost,
  });
  return { lost: stateLost, message: () => lostState, onLost: onStateLost, watch };
}
