/**
 * Failed logins per client address (host, without the port). Up to `freePerSecond`
 * failures in a rolling second are answered 401 as usual; one more locks the address out
 * for `baseDelayMs`, doubling with every lockout (up to `maxDelayMs`) while it keeps
 * failing. Everything from a locked-out address is refused (429), the right token too:
 * otherwise the lockout would still answer whether a guess was right. A success, or
 * `maxDelayMs` without a failure, forgets the address.
 */
export interface LoginThrottle {
  /** ms until the address may try again; 0: it may. */
  retryInMs(address: string, now: number): number;
  failed(address: string, now: number): void;
  succeeded(address: string): void;
  /** Addresses remembered (bounded by `maxAddresses`). */
  readonly size: number;
}

export interface LoginThrottleOptions {
  readonly freePerSecond?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxAddresses?: number;
}

interface Entry {
  /** Times of the failures of the last second. */
  recent: number[];
  lockouts: number;
  lockedUntil: number;
  lastFailure: number;
}

export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const freePerSecond = options.freePerSecond ?? 10;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const entries = new Map<string, Entry>();

  const current = (address: string, now: number): Entry | undefined => {
    const entry = entries.get(address);
    if (entry && now - entry.lastFailure > maxDelayMs && now >= entry.lockedUntil) {
      entries.delete(address);
      return undefined;
    }
    return entry;
  };

  return {
    retryInMs(address, now) {
      const entry = current(address, now);
      return entry ? Math.max(0, entry.lockedUntil - now) : 0;
    },
    failed(address, now) {
      let entry = current(address, now);
      if (!entry) {
        entry = { recent: [], lockouts: 0, lockedUntil: 0, lastFailure: now };
        // Oldest first: a flood of new addresses forgets the oldest, never grows unbounded.
        while (entries.size >= maxAddresses) entries.delete(entries.keys().next().value!);
        entries.set(address, entry);
      }
      entry.lastFailure = now;
      entry.recent = entry.recent.filter((at) => now - at < 1000);
      entry.recent.push(now);
      if (entry.recent.length > freePerSecond) {
        entry.lockedUntil = now + Math.min(maxDelayMs, baseDelayMs * 2 ** entry.lockouts);
        entry.lockouts++;
        entry.recent = [];
      }
    },
    succeeded(address) {
      entries.delete(address);
    },
    get size() {
      return entries.size;
    },
  };
}

/** `203.0.113.7:5555` → `203.0.113.7`, `::1:5555` → `::1`. */
export function hostOfClient(client: string): string {
  return client.replace(/:\d*$/, "");
}
