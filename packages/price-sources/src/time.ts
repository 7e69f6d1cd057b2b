const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 timestamp (`2026-11-24T10:00:00.123456Z`) as ms since the epoch, or
 * undefined. Fractions beyond milliseconds are cut here, not left to `Date.parse`,
 * which runtimes read differently.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, date, time, fraction = "", zone] = match;
  const millis = fraction.slice(0, 3).padEnd(3, "0");
  const ms = Date.parse(`${date}T${time}.${millis}${zone === "z" ? "Z" : zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
