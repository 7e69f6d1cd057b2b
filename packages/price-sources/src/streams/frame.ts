import { checkPrice } from "../guards.ts";
import { StreamError } from "./errors.ts";

/** Where a frame came from: what a frame's errors name. */
export interface FrameContext {
  readonly exchange: string;
  /** The frame as received. */
  readonly frame: string;
}

/** The frame's JSON, or a `malformed` StreamError. */
export function parseFrame({ exchange, frame }: FrameContext): unknown {
  try {
    return JSON.parse(frame);
  } catch (cause) {
    throw new StreamError(`${exchange}: not JSON`, { kind: "malformed", exchange, frame, cause });
  }
}

/**
 * A price field of a frame, checked as a REST price is (`checkPrice`); an `invalid-price`
 * StreamError when it is not one.
 */
export function framePrice(
  value: unknown,
  field: string,
  { exchange, frame, symbol }: FrameContext & { readonly symbol: string },
): string {
  try {
    return checkPrice(value, field, { source: exchange, symbol });
  } catch (cause) {
    throw new StreamError(`${exchange}: ${(cause as Error).message}`, {
      kind: "invalid-price",
      exchange,
      symbol,
      frame,
      cause,
    });
  }
}
