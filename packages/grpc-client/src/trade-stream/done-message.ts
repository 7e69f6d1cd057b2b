import { isDecimalString } from "@matchingo-mm/core";
import { DoneMessage } from "../gen/orderbook.ts";

/** One entry of a DoneMessage's `trades`, checked. */
export interface StreamTrade {
  readonly orderId: string;
  /** `maker`: a resting order was hit; `taker`: the order that arrived and crossed. */
  readonly role: "maker" | "taker";
  /** Decimal strings as the venue sent them (the trade's price, > 0; quantity > 0). */
  readonly price: string;
  readonly quantity: string;
  readonly userAddress: string;
  /** Position in the message's `trades` (with the offset, a trade's identity). */
  readonly index: number;
}

export type ReadDone =
  | { readonly ok: true; readonly message: DoneMessage; readonly trades: readonly StreamTrade[] }
  | { readonly ok: false; readonly problem: string };

const positive = (text: string) =>
  isDecimalString(text) && !text.startsWith("-") && /[1-9]/.test(text);

/**
 * Decodes a Kafka message value as `matchingo.api.DoneMessage` and checks each trade of
 * it. Anything off (not protobuf, missing fields, a role other than MAKER/TAKER, a price
 * or quantity that is not a decimal above zero) refuses the whole message with the
 * reason: a message half read is never booked. The taker's own entry of a non-crossing
 * order has quantity "0": it is left out, not refused.
 */
export function readDoneMessage(bytes: Uint8Array): ReadDone {
  let message: DoneMessage;
  try {
    message = DoneMessage.decode(bytes);
  } catch (error) {
    return { ok: false, problem: `not a DoneMessage: ${(error as Error).message}` };
  }
  if (message.orderId === "") return { ok: false, problem: "order_id is missing" };
  if (message.trades.length === 0) return { ok: false, problem: "no trades" };
  const trades: StreamTrade[] = [];
  for (const [index, trade] of message.trades.entries()) {
    const where = `trades[${index}]`;
    if (trade.orderId === "") return { ok: false, problem: `${where}.order_id is missing` };
    if (trade.role !== "MAKER" && trade.role !== "TAKER") {
      return { ok: false, problem: `${where}.role ${JSON.stringify(trade.role)}` };
    }
    if (!isDecimalString(trade.quantity) || trade.quantity.startsWith("-")) {
      return { ok: false, problem: `${where}.quantity ${JSON.stringify(trade.quantity)}` };
    }
    if (!positive(trade.quantity)) continue;
    if (!positive(trade.price)) {
      return { ok: false, problem: `${where}.price ${JSON.stringify(trade.price)}` };
    }
    trades.push({
      orderId: trade.orderId,
      role: trade.role === "MAKER" ? "maker" : "taker",
      price: trade.price,
      quantity: trade.quantity,
      userAddress: trade.userAddress,
      index,
    });
  }
  return { ok: true, message, trades };
}

/** The bytes of a DoneMessage (the embedded venue and test producers publish these). */
export function encodeDoneMessage(
  message: Parameters<typeof DoneMessage.fromPartial>[0],
): Uint8Array {
  return DoneMessage.encode(DoneMessage.fromPartial(message)).finish();
}

/** Matchingo's default topic (`kafka.topic` in its config). */
export const DEFAULT_TRADE_TOPIC = "test-msg-queue";
