import type { Logger } from "pino";

/** What is closed at the end, last opened first. */
export type Closers = Array<() => Promise<void> | void>;

/** Closes everything in `closers`, last opened first; an error only warns, the rest close. */
export function closeAllOf(closers: Closers, logger: Logger): () => Promise<void> {
  return async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, "error while closing");
      }
    }
  };
}
