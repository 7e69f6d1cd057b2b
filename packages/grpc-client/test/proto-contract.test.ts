import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { OrderBookServiceDefinition } from "../src/gen/orderbook.ts";

/**
 * The wire contract, copied verbatim from docs/matchingo-api.md ("Messages", "Enums",
 * "Service"). The proto must say exactly this: a real Matchingo reads our bytes by it.
 */
const DOC_MESSAGES: Record<string, string> = {
  CreateOrderBookRequest:
    "name = 1: string; backend_type = 2: BackendType; options = 3: map<string, string>",
  OrderBookResponse:
    "name = 1: string; backend_type = 2: BackendType; created_at = 3: Timestamp; order_count = 4: uint64",
  GetOrderBookRequest: "name = 1: string",
  ListOrderBooksRequest: "limit = 1: int32; offset = 2: int32",
  ListOrderBooksResponse: "order_books = 1: repeated OrderBookResponse; total = 2: int32",
  DeleteOrderBookRequest: "name = 1: string",
  CreateOrderRequest:
    "order_book_name = 1: string; order_id = 2: string; side = 3: OrderSide; quantity = 4: string; price = 5: string; order_type = 6: OrderType; time_in_force = 7: TimeInForce; stop_price = 8: string; oco_id = 9: string; user_address = 10: string",
  OrderResponse:
    "order_id = 1: string; order_book_name = 2: string; side = 3: OrderSide; quantity = 4: string; price = 5: string; order_type = 6: OrderType; time_in_force = 7: TimeInForce; stop_price = 8: string; status = 9: OrderStatus; filled_quantity = 10: string; remaining_quantity = 11: string; created_at = 12: Timestamp; updated_at = 13: Timestamp; fills = 14: repeated Fill; oco_id = 15: string; user_address = 16: string",
  Fill: "price = 1: string; quantity = 2: string; timestamp = 3: Timestamp",
  GetOrderRequest: "order_book_name = 1: string; order_id = 2: string",
  CancelOrderRequest: "order_book_name = 1: string; order_id = 2: string",
  GetOrderBookStateRequest: "name = 1: string; depth = 2: int32",
  OrderBookStateResponse:
    "name = 1: string; bids = 2: repeated PriceLevel; asks = 3: repeated PriceLevel; timestamp = 4: Timestamp",
  PriceLevel:
    "price = 1: string; total_quantity = 2: string; order_count = 3: int32; user_address = 4: string",
  Trade:
    "order_id = 1: string; role = 2: string; price = 3: string; quantity = 4: string; is_quote = 5: bool; user_address = 6: string",
  DoneMessage:
    "order_id = 1: string; executed_quantity = 2: string; remaining_quantity = 3: string; trades = 4: repeated Trade; canceled = 5: repeated string; activated = 6: repeated string; stored = 7: bool; quantity = 8: string; processed = 9: string; left = 10: string; user_address = 11: string",
};

const DOC_ENUMS: Record<string, string> = {
  BackendType: "MEMORY (0), REDIS (1)",
  OrderType: "LIMIT (0), MARKET (1), STOP (2), STOP_LIMIT (3)",
  OrderSide: "BUY (0), SELL (1)",
  TimeInForce: "GTC (0), IOC (1), FOK (2)",
  OrderStatus:
    "PENDING (0), OPEN (1), FILLED (2), PARTIALLY_FILLED (3), CANCELED (4), REJECTED (5)",
};

const DOC_RPCS = `
| CreateOrderBook | CreateOrderBookRequest | OrderBookResponse |
| GetOrderBook | GetOrderBookRequest | OrderBookResponse |
| ListOrderBooks | ListOrderBooksRequest | ListOrderBooksResponse |
| DeleteOrderBook | DeleteOrderBookRequest | google.protobuf.Empty |
| CreateOrder | CreateOrderRequest | OrderResponse |
| GetOrder | GetOrderRequest | OrderResponse |
| CancelOrder | CancelOrderRequest | google.protobuf.Empty |
| GetOrderBookState | GetOrderBookStateRequest | OrderBookStateResponse |`;

const PROTO_PATH = fileURLToPath(new URL("../../../proto/orderbook.proto", import.meta.url));
const root = new protobuf.Root().loadSync(PROTO_PATH, { keepCase: true });
const pkg = root.lookup("matchingo.api") as protobuf.Namespace;

/** A doc type name as protobufjs resolves it. */
function fullTypeName(docType: string): string {
  if (docType === "Timestamp") return ".google.protobuf.Timestamp";
  if (docType.startsWith("google.")) return `.${docType}`;
  return `.matchingo.api.${docType}`;
}

const SCALARS = new Set(["string", "int32", "uint64", "bool"]);

describe("proto/orderbook.proto equals the shared contract", () => {
  it("declares exactly the documented messages and enums in package matchingo.api", () => {
    const declared = pkg.nestedArray.map((nested) => nested.name).sort();
    const documented = [
      ...Object.keys(DOC_MESSAGES),
      ...Object.keys(DOC_ENUMS),
      "OrderBookService",
    ].sort();
    expect(declared).toEqual(documented);
  });

  for (const [name, spec] of Object.entries(DOC_MESSAGES)) {
    it(`message ${name}: every field's name, number and type`, () => {
      const type = pkg.lookupType(name);
      type.resolveAll();
      const expected = spec.split("; ").map((entry) => {
        const match = /^(\w+) = (\d+): (repeated )?(.+)$/.exec(entry);
        if (!match) throw new Error(`cannot read doc entry ${entry}`);
        const [, fieldName, id, repeated, docType] = match as unknown as string[];
        return { fieldName, id: Number(id), repeated: repeated !== undefined, docType };
      });
      expect(type.fieldsArray.map((field) => field.name)).toEqual(
        expected.map((field) => field.fieldName),
      );
      for (const { fieldName, id, repeated, docType } of expected) {
        const field = type.fields[fieldName!]!;
        expect({ field: fieldName, id: field.id }).toEqual({ field: fieldName, id });
        expect({ field: fieldName, repeated: field.repeated }).toEqual({
          field: fieldName,
          repeated,
        });
        if (docType === "map<string, string>") {
          const keyType = field instanceof protobuf.MapField ? field.keyType : "not a map";
          expect([keyType, field.type]).toEqual(["string", "string"]);
        } else if (SCALARS.has(docType!)) {
          expect({ field: fieldName, type: field.type }).toEqual({
            field: fieldName,
            type: docType,
          });
        } else {
          expect({ field: fieldName, type: field.resolvedType?.fullName }).toEqual({
            field: fieldName,
            type: fullTypeName(docType!),
          });
        }
      }
    });
  }

  for (const [name, spec] of Object.entries(DOC_ENUMS)) {
    it(`enum ${name}: every value's name and number`, () => {
      const expected = Object.fromEntries(
        spec.split(", ").map((entry) => {
          const [, value, number] = /^(\w+) \((\d+)\)$/.exec(entry) as unknown as string[];
          return [value!, Number(number)];
        }),
      );
      expect(pkg.lookupEnum(name).values).toEqual(expected);
    });
  }

  const rpcs = DOC_RPCS.trim()
    .split("\n")
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .map(([, rpc, request, response]) => ({ rpc: rpc!, request: request!, response: response! }));

  it("service OrderBookService has exactly the 8 documented rpcs, unary", () => {
    const service = pkg.lookupService("OrderBookService");
    service.resolveAll();
    expect(service.methodsArray.map((method) => method.name)).toEqual(rpcs.map((r) => r.rpc));
    for (const { rpc, request, response } of rpcs) {
      const method = service.methods[rpc]!;
      expect({
        rpc,
        request: method.resolvedRequestType?.fullName,
        response: method.resolvedResponseType?.fullName,
        streaming: Boolean(method.requestStream || method.responseStream),
      }).toEqual({
        rpc,
        request: fullTypeName(request),
        response: fullTypeName(response),
        streaming: false,
      });
    }
  });

  it("the generated service definition calls the documented paths", () => {
    const paths = Object.values(OrderBookServiceDefinition.methods).map((method) => ({
      path: `/${OrderBookServiceDefinition.fullName}/${method.name}`,
      unary: !method.requestStream && !method.responseStream,
    }));
    expect(paths).toEqual(
      rpcs.map(({ rpc }) => ({ path: `/matchingo.api.OrderBookService/${rpc}`, unary: true })),
    );
  });
});
