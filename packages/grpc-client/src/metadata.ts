import { Metadata, type MetadataInit } from "nice-grpc-common";

const KEY_PATTERN = /^[0-9a-z_.-]+$/;
const PRINTABLE_ASCII = /^[ -~]*$/;

/**
 * Builds nice-grpc metadata, checking it first so that a bad entry is reported by key
 * only: the values are usually secrets (auth tokens) and must not reach an error or a log.
 */
export function toMetadata(init: MetadataInit | undefined, field: string): Metadata {
  const metadata = Metadata();
  if (init === undefined) return metadata;
  const entries = Symbol.iterator in init ? init : Object.entries(init);
  for (const [rawKey, value] of entries) {
    const key = rawKey.toLowerCase();
    if (!KEY_PATTERN.test(key)) {
      throw new TypeError(`${field}: key ${JSON.stringify(rawKey)} has characters gRPC forbids`);
    }
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) checkValue(field, key, item);
    metadata.set(key, values);
  }
  return metadata;
}

function checkValue(field: string, key: string, value: unknown): void {
  if (key.endsWith("-bin")) {
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`${field}: key "${key}" ends with -bin, so its value must be bytes`);
    }
  } else if (typeof value !== "string" || !PRINTABLE_ASCII.test(value)) {
    throw new TypeError(
      `${field}: the value of key "${key}" must be printable ASCII text (value not shown)`,
    );
  }
}
