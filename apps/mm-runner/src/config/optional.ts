/** `{ key: value }`, or nothing when the value is not set: a resolved config has no undefined. */
export function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
