import { VenueError } from "@matchingo-mm/core";
import { Status } from "nice-grpc-common";
import { toBookInfo, toBookState, toWireBackend } from "./convert.ts";
import { requireName } from "./require-name.ts";
import type { Transport } from "./transport.ts";
import type {
  CreateOrderBookOptions,
  DeleteOutcome,
  EnsuredOrderBook,
  MatchingoCallOptions,
  OrderBookInfo,
  OrderBookPage,
  OrderBookState,
} from "./types.ts";
import { hasStatus, refused, toVenueError } from "./venue-error.ts";

export interface PageRequest {
  /** Default 100. */
  readonly limit?: number;
  /** Default 0. */
  readonly offset?: number;
}

export interface BookOperations {
  /** The book, or undefined when the venue has no such book. */
  getBook(name: string, options?: MatchingoCallOptions): Promise<OrderBookInfo | undefined>;
  /** Rejects with `already-exists` when it is there; see `ensureOrderBook`. */
  createOrderBook(name: string, options?: CreateOrderBookOptions): Promise<OrderBookInfo>;
  /** Creates the book unless the venue already has it. */
  ensureOrderBook(name: string, options?: CreateOrderBookOptions): Promise<EnsuredOrderBook>;
  deleteOrderBook(name: string, options?: MatchingoCallOptions): Promise<DeleteOutcome>;
  /** Levels best first; `depth` 0 (the default) means the venue's default of 10. */
  getOrderBookState(
    name: string,
    depth?: number,
    options?: MatchingoCallOptions,
  ): Promise<OrderBookState>;
  listOrderBooks(page?: PageRequest, options?: MatchingoCallOptions): Promise<OrderBookPage>;
}

const INT32_MAX = 2 ** 31 - 1;

function int32(method: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) {
    throw refused(method, `${field} must be a whole number from 0 to ${INT32_MAX}, got ${value}`);
  }
  return value;
}

export function createBookOperations(transport: Transport): BookOperations {
  const { raw } = transport;

  const operations: BookOperations = {
    async getBook(name, options) {
      const method = "GetOrderBook";
      const request = { name: requireName(method, "name", name) };
      const scope = transport.begin(method, options);
      try {
        return toBookInfo(await raw.getOrderBook(request, scope.options()));
      } catch (error) {
        if (hasStatus(error, Status.NOT_FOUND)) return undefined;
        throw toVenueError(error, method, scope.signal);
      }
    },

    async createOrderBook(name, options = {}) {
      const method = "CreateOrderBook";
      const request = {
        name: requireName(method, "name", name),
        backendType: toWireBackend(options.backend ?? "memory"),
        options: { ...options.bookOptions },
      };
      const scope = transport.begin(method, options);
      try {
        return toBookInfo(await raw.createOrderBook(request, scope.options()));
      } catch (error) {
        throw toVenueError(error, method, scope.signal);
      }
    },

    async ensureOrderBook(name, options) {
      try {
        return { book: await operations.createOrderBook(name, options), created: true };
      } catch (error) {
        if (!(error instanceof VenueError) || error.kind !== "already-exists") throw error;
      }
      const book = await operations.getBook(name, options);
      if (book === undefined) {
        throw new VenueError(
          `GetOrderBook: order book ${name} was deleted right after CreateOrderBook found it`,
          { kind: "book-not-found", method: "GetOrderBook" },
        );
      }
      return { book, created: false };
    },

    async deleteOrderBook(name, options) {
      const method = "DeleteOrderBook";
      const request = { name: requireName(method, "name", name) };
      const scope = transport.begin(method, options);
      try {
        await raw.deleteOrderBook(request, scope.options());
        return "deleted";
      } catch (error) {
        if (hasStatus(error, Status.NOT_FOUND)) return "already-gone";
        throw toVenueError(error, method, scope.signal);
      }
    },

    async getOrderBookState(name, depth = 0, options) {
      const method = "GetOrderBookState";
      const request = {
        name: requireName(method, "name", name),
        depth: int32(method, "depth", depth),
      };
      const scope = transport.begin(method, options);
      try {
        return toBookState(await raw.getOrderBookState(request, scope.options()));
      } catch (error) {
        throw toVenueError(error, method, scope.signal);
      }
    },

    async listOrderBooks(page = {}, options) {
      const method = "ListOrderBooks";
      const request = {
        limit: int32(method, "limit", page.limit ?? 100),
        offset: int32(method, "offset", page.offset ?? 0),
      };
      const scope = transport.begin(method, options);
      try {
        const response = await raw.listOrderBooks(request, scope.options());
        return { books: response.orderBooks.map(toBookInfo), total: response.total };
      } catch (error) {
        throw toVenueError(error, method, scope.signal);
      }
    },
  };
  return operations;
}
