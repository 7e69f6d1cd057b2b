import { refused } from "./venue-error.ts";

export function requireName(method: string, field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw refused(method, `${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}
