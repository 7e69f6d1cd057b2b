import { VenueError } from "@matchingo-mm/core";
import type { MatchingoClient } from "@matchingo-mm/grpc-client";
import type { Logger } from "pino";
import type { Problem } from "../config/raw.ts";
import type { RunnerConfig } from "../config/types.ts";
import { StartupConfigError } from "./startup-config-error.ts";

/**
 * Every symbol's book on the venue: created (CREATE_ORDER_BOOK) or looked up; a book that
 * is missing and may not be created is a configuration problem.
 */
export async function prepareBooks(client: MatchingoClient, config: RunnerConfig, logger: Logger) {
  const problems: Problem[] = [];
  for (const symbol of config.symbols) {
    try {
      if (config.createOrderBook) {
        const { created } = await client.ensureOrderBook(symbol.book);
        logger.info(
          { book: symbol.book },
          created ? `created book ${symbol.book}` : `book ${symbol.book} exists`,
        );
      } else if ((await client.getBook(symbol.book)) === undefined) {
        problems.push({
          name: "CREATE_ORDER_BOOK",
          value: "false",
          message: `the venue has no book ${JSON.stringify(symbol.book)} (for ${symbol.symbol}); create it, or let the runner (CREATE_ORDER_BOOK=true)`,
        });
      }
    } catch (error) {
      if (error instanceof VenueError && error.kind === "rejected") throw error;
      // The venue may be down at start: the workers keep trying (and create the book).
      logger.warn(
        { err: error, book: symbol.book },
        "could not prepare the book yet; the worker will retry",
      );
    }
  }
  if (problems.length > 0) throw new StartupConfigError(problems);
}
