import type { AuditLine } from "./audit-line.ts";

export interface FailureAudit {
  /** A refused call (401, 429): audited at once if it is its address's first in the interval. */
  record(address: string, line: AuditLine): void;
  /** Writes the pending counts now (the interval's end; also at close). */
  flush(): void;
  stop(): void;
}

/**
 * Refused calls, one audit line per client address per interval: the first at once (it
 * may be an operator's typo, worth seeing now), the rest counted and written as one line
 * with `count` when the interval ends. A flood of wrong tokens writes a line per address
 * every `intervalMs`, not one per request.
 */
export function createFailureAudit(
  audit: (line: AuditLine) => void,
  intervalMs = 10_000,
): FailureAudit {
  const pending = new Map<string, { line: AuditLine; count: number }>();
  const seen = new Set<string>();
  const flush = () => {
    for (const [address, { line, count }] of pending) {
      audit({
        ...line,
        client: address,
        count,
        detail: `${count} more refused control call${count === 1 ? "" : "s"} from ${address} in the last ${Math.round(intervalMs / 1000)} s (the last: ${line.status})`,
      });
    }
    pending.clear();
    seen.clear();
  };
  const timer = setInterval(flush, intervalMs);
  timer.unref();
  return {
    record(address, line) {
      if (!seen.has(address)) {
        seen.add(address);
        audit(line);
        return;
      }
      const entry = pending.get(address);
      if (entry) {
        entry.line = line;
        entry.count++;
      } else {
        pending.set(address, { line, count: 1 });
      }
    },
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
