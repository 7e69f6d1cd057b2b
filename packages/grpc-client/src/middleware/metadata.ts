import { type ClientMiddleware, Metadata } from "nice-grpc-common";

/**
 * Adds the client's metadata (auth tokens, ...) to every call. A key the call sets itself
 * replaces the client's value for that key. Values are never logged or put in errors.
 */
export function metadataMiddleware(base: Metadata): ClientMiddleware {
  return async function* metadata(call, options) {
    const merged = Metadata(base);
    for (const [key, values] of options.metadata ?? []) merged.set(key, values);
    return yield* call.next(call.request, { ...options, metadata: merged });
  };
}
