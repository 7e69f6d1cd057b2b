import { forEachBounded } from "../async/for-each-bounded.ts";
import { VenueError } from "../errors.ts";
import type { BookInfo } from "../ports.ts";
import type { MarketMakerContext } from "./context.ts";
import { pollFills, pollOrder } from "./fill-poll.ts";
import { forgetOrder } from "./order-bookkeeping.ts";
import { callVenue } from "./venue-calls.ts";

/** The book, or undefined when the venue has no such book. */
async function readBook(ctx: MarketMakerContext): Promise<BookInfo | undefined> {
  const { gateway } = ctx.ports;
  try {
    return await callVenue(ctx, "getBook", () =>
      gateway.getBook(ctx.settings.book, { signal: ctx.deadline.signal }),
    );
  } catch (error) {
    if (error instanceof VenueError && error.kind === "book-not-found") return undefined;
    throw error;
  }
}

/**
 * The venue lost its state: with the book gone every id we hold is gone (none filled);
 * with the book recreated, each live one is asked for, and a `gone` is not a fill.
 */
export async function venueWasReset(
  ctx: MarketMakerContext,
  reason: "book-missing" | "book-recreated",
): Promise<void> {
  const confirmed = ctx.orders.all().filter((o) => o.state === "live");
  let lost = 0;
  if (reason === "book-missing") {
    for (const order of ctx.orders.all()) await forgetOrder(ctx, order);
    lost = confirmed.length;
  } else {
    for (const order of confirmed) order.afterBookReset = true;
    const before = ctx.orders.size;
    await forEachBounded(
      confirmed,
      ctx.settings.concurrency,
      async (o) => void (await pollOrder(ctx, o)),
    );
    lost = before - ctx.orders.size;
  }
  ctx.orders.retired = [];
  // What the venue seemed to show filled just before (orders gone that the trade stream
  // never reported) was most likely this reset: a real fill comes through the stream.
  for (const order of [...ctx.orders.all(), ...ctx.settled.all()]) delete order.venueFilled;
  ctx.emit({ type: "venue-reset", reason, lost });
}

/**
 * Checks the book exists and is the one we quoted on (a venue restart makes a new one),
 * recreating it through `ensureBook` where allowed, then polls fills. Throws when the
 * venue cannot be checked: nothing may be sent then.
 */
export async function checkVenue(ctx: MarketMakerContext): Promise<void> {
  const { book } = ctx.settings;
  let info = await readBook(ctx);
  if (!info) {
    if (ctx.bookSeen || ctx.orders.size > 0) await venueWasReset(ctx, "book-missing");
    if (!ctx.ports.ensureBook) {
      throw new VenueError(`order book ${book} does not exist`, {
        kind: "book-not-found",
        method: "GetOrderBook",
      });
    }
    await ctx.ports.ensureBook();
    info = await readBook(ctx);
    if (!info) {
      throw new VenueError(`order book ${book} still missing after ensureBook`, {
        kind: "book-not-found",
        method: "GetOrderBook",
      });
    }
  } else if (
    info.createdAt !== undefined &&
    ctx.bookCreatedAt !== undefined &&
    info.createdAt !== ctx.bookCreatedAt
  ) {
    await venueWasReset(ctx, "book-recreated");
  }
  ctx.bookSeen = true;
  ctx.bookCreatedAt = info.createdAt ?? ctx.bookCreatedAt;
  await pollFills(ctx);
}
