/**
 * Smoke run of every adapter and the failover chain against local servers answering like
 * the exchanges, on whichever runtime runs it (`pnpm test:runtimes`: bun, deno, tsx).
 * Prints what it got; exits non-zero on any mismatch. Nothing leaves 127.0.0.1.
 */
import type { PriceError, PriceTick } from "@matchingo-mm/core";
import {
  binance,
  binanceStream,
  coinbase,
  coinbaseStream,
  createFailoverChain,
  createSharedFeed,
  createStreamingFeed,
  kraken,
  krakenStream,
  type PriceStream,
  replay,
  SOURCES,
  type StreamEvent,
  synthetic,
} from "../src/index.ts";
import { exit, runtimeName, type ServerSocket, serve, serveWebSocket } from "./serve.ts";

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

const seen: string[] = [];
let binanceDown = false;

const exchange = await serve((request) => {
  const url = new URL(request.url);
  const path = url.pathname;
  const query = url.search.slice(1);
  seen.push(`${path}?${query} ua=${request.headers.get("user-agent")}`);
  if (path.startsWith("/binance/")) {
    if (binanceDown) return new Response("<html>503</html>", { status: 503 });
    const symbols = url.searchParams.get("symbols");
    if (symbols) {
      const list = JSON.parse(symbols) as string[];
      return json(
        list.map((symbol) => ({ symbol, price: symbol === "BTCUSDT" ? "50000.01" : "3000.5" })),
      );
    }
    if (url.searchParams.get("symbol") === "NOPEUSDT") {
      return json({ code: -1121, msg: "Invalid symbol." }, 400);
    }
    if (url.searchParams.get("symbol") === "LIMITUSDT") {
      return json({ code: -1003, msg: "Too many requests" }, 429, { "retry-after": "30" });
    }
    return json({ symbol: url.searchParams.get("symbol"), price: "50000.01000000" });
  }
  if (path.startsWith("/coinbase/products/")) {
    return json({
      ask: "50001.00",
      bid: "50000.00",
      volume: "1234.5",
      trade_id: 123456,
      price: "50000.50",
      size: "0.01",
      time: new Date().toISOString(),
      rfq_volume: "0",
    });
  }
  if (path === "/kraken/0/public/Ticker") {
    const pair = {
      a: ["50001.00000", "1", "1.000"],
      b: ["50000.00000", "2", "2.000"],
      c: ["50000.50000", "0.01000000"],
    };
    return json({ error: [], result: { XXBTZUSD: pair } });
  }
  return new Response("not found", { status: 404 });
});

const failures: string[] = [];
function check(label: string, actual: unknown, expected: Record<string, unknown>): void {
  const ok =
    typeof actual === "object" &&
    actual !== null &&
    Object.entries(expected).every(
      ([key, value]) => (actual as Record<string, unknown>)[key] === value,
    );
  console.log(`${ok ? "ok  " : "FAIL"} ${label}: ${describe(actual)}`);
  if (!ok) failures.push(`${label}: expected ${JSON.stringify(expected)}, got ${describe(actual)}`);
}

function describe(value: unknown): string {
  if (value instanceof Error) {
    const error = value as PriceError;
    return `${error.name}{kind:${error.kind}} ${error.message}`;
  }
  const tick = value as PriceTick;
  if (typeof tick?.source !== "string") return JSON.stringify(value);
  // A stream quote has no `price`: it shows its book and last trade instead.
  const price = tick.price ?? `last ${(value as { last?: string }).last ?? "-"}`;
  return `${tick.source} ${tick.symbol} ${price}${tick.bid ? ` bid ${tick.bid} ask ${tick.ask}` : ""}`;
}

const settle = <T>(promise: Promise<T>) => promise.catch((error: unknown) => error);

try {
  const sources = {
    binance: binance({ baseUrl: `${exchange.url}/binance`, timeoutMs: 2000 }),
    coinbase: coinbase({ baseUrl: `${exchange.url}/coinbase`, timeoutMs: 2000 }),
    kraken: kraken({ baseUrl: `${exchange.url}/kraken`, timeoutMs: 2000 }),
  };
  console.log(`runtime ${runtimeName()}, exchanges at ${exchange.url}`);

  check("binance single", await settle(sources.binance.latest("BTC-USDT")), {
    source: "binance",
    price: "50000.01000000",
  });
  const batch = await sources.binance.fetchTicks(["BTC-USDT", "ETH-USDT"]);
  check("binance batch BTC", batch.get("BTC-USDT"), { price: "50000.01" });
  check("binance batch ETH", batch.get("ETH-USDT"), { price: "3000.5" });
  check("binance unknown symbol", await settle(sources.binance.latest("NOPE-USDT")), {
    kind: "unknown-symbol",
  });
  check("binance 429", await settle(sources.binance.latest("LIMIT-USDT")), {
    kind: "rate-limited",
    retryAfterMs: 30_000,
  });
  const before = seen.length;
  check("binance inside Retry-After", await settle(sources.binance.latest("BTC-USDT")), {
    kind: "cooling-down",
  });
  check("no request inside the window", { requests: seen.length - before }, { requests: 0 });

  check("coinbase", await settle(sources.coinbase.latest("BTC-USDT")), {
    source: "coinbase",
    price: "50000.50",
    bid: "50000.00",
    ask: "50001.00",
  });
  check("kraken XXBTZUSD", await settle(sources.kraken.latest("BTC-USD")), {
    source: "kraken",
    price: "50000.50000",
  });

  // Every source the registry knows, built the way the runner builds it.
  for (const adapter of SOURCES) {
    // This Kraken answers its legacy key only, which is BTC-USD's.
    const symbol = adapter.name === "kraken" ? "BTC-USD" : "BTC-USDT";
    const source = adapter.createSource({
      symbols: [{ symbol, startPrice: "100.00" }],
      restUrl: `${exchange.url}/${adapter.name}`,
      tape: { name: "tape.csv", read: () => "1,99.5" },
    });
    const tick = await settle(source.latest(symbol));
    // A tick has no `name`; a PriceError (which also names its source) has.
    check(`registry ${adapter.name}`, tick, { source: adapter.name, symbol, name: undefined });
  }

  binanceDown = true;
  const chain = createFailoverChain([
    binance({ baseUrl: `${exchange.url}/binance`, timeoutMs: 2000 }),
    sources.coinbase,
    sources.kraken,
  ]);
  check("chain fails over to coinbase", await settle(chain.latest("BTC-USDT")), {
    source: "coinbase",
    price: "50000.50",
  });
  const shared = createSharedFeed(chain);
  const [a, b] = await Promise.all([shared.latest("BTC-USDT"), shared.latest("ETH-USDT")]);
  check("shared feed BTC", a, { symbol: "BTC-USDT" });
  check("shared feed ETH", b, { symbol: "ETH-USDT" });
  check("shared feed rounds", shared.stats(), { rounds: 1 });

  check(
    "synthetic",
    await settle(synthetic({ startPrice: "100.00", seed: 3 }).latest("BTC-USDT")),
    {
      source: "synthetic",
    },
  );
  check("replay", await settle(replay({ tape: "1,99.5", format: "csv" }).latest("BTC-USDT")), {
    source: "replay",
    price: "99.5",
  });
  const agents = new Set(seen.map((line) => line.slice(line.indexOf(" ua=") + 4)));
  check("user agent", { agents: [...agents].join(",") }, { agents: "matchingo-market-maker/0.1" });

  await smokeStreams();
} catch (error) {
  failures.push(
    `crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await exchange.close();
}

if (failures.length > 0) {
  console.error(`smoke (${runtimeName()}): ${failures.length} failure(s)\n${failures.join("\n")}`);
  exit(1);
} else {
  console.log(`smoke (${runtimeName()}): all good`);
}

/**
 * The stream adapters on this runtime's WebSocket against a local server speaking each
 * exchange's protocol: subscribe, answer, quote; a garbage frame; Kraken's long numbers.
 */
async function smokeStreams(): Promise<void> {
  const KRAKEN_BID = "50000.123456789012345678";
  const sockets: ServerSocket[] = [];
  const wsServer = await serveWebSocket({
    open: (socket) => sockets.push(socket),
    message(socket, text, path) {
      const message = JSON.parse(text) as Record<string, unknown>;
      if (path === "/stream" && message.method === "SUBSCRIBE") {
        socket.send(JSON.stringify({ result: null, id: message.id }));
        socket.send("garbage that must not become a price");
        socket.send(
          JSON.stringify({
            stream: "btcusdt@bookTicker",
            data: { u: 1, s: "BTCUSDT", b: "50000.00", B: "1", a: "50001.00", A: "1" },
          }),
        );
      }
      if (path === "/" && message.type === "subscribe") {
        socket.send(
          JSON.stringify({
            type: "subscriptions",
            channels: [{ name: "ticker", product_ids: ["BTC-USDT"] }],
          }),
        );
        socket.send(
          JSON.stringify({
            type: "ticker",
            sequence: 7,
            product_id: "BTC-USDT",
            price: "50000.50",
            best_bid: "50000.00",
            best_ask: "50001.00",
            time: new Date().toISOString(),
          }),
        );
      }
      if (path === "/v2" && message.method === "subscribe") {
        socket.send(
          JSON.stringify({
            method: "subscribe",
            result: { channel: "ticker", symbol: "BTC/USDT", snapshot: true },
            success: true,
            req_id: message.req_id,
          }),
        );
        socket.send(
          `{"channel":"ticker","type":"snapshot","data":[{"symbol":"BTC/USDT","bid":${KRAKEN_BID},"bid_qty":1,"ask":50000.2,"ask_qty":1,"last":50000.1}]}`,
        );
      }
    },
  });
  const events: StreamEvent[] = [];
  const onEvent = (event: StreamEvent) => events.push(event);
  const streams: Record<string, PriceStream> = {
    binance: binanceStream({ url: `${wsServer.url}/stream`, onEvent }),
    coinbase: coinbaseStream({ url: `${wsServer.url}/`, onEvent }),
    kraken: krakenStream({ url: `${wsServer.url}/v2`, onEvent }),
  };
  try {
    const expected: Record<string, Record<string, unknown>> = {
      binance: { bid: "50000.00", ask: "50001.00" },
      coinbase: { bid: "50000.00", last: "50000.50" },
      kraken: { bid: KRAKEN_BID, ask: "50000.2" },
    };
    for (const [name, stream] of Object.entries(streams)) {
      stream.track(["BTC-USDT"]);
      const quote = await until(() => stream.quote("BTC-USDT"), 5000);
      check(`${name} stream quote`, quote ?? { missing: true }, expected[name]!);
    }
    const rejected = events.filter(
      (e) => e.type === "stream-error" && e.error.kind === "malformed",
    );
    check("binance garbage frame rejected", { rejected: rejected.length }, { rejected: 1 });
    const feed = createStreamingFeed([{ name: "kraken", stream: streams.kraken! }]);
    check("streaming feed mid from kraken", await settle(feed.latest("BTC-USDT")), {
      source: "kraken",
      price: "50000.161728394506172839",
    });
  } finally {
    for (const stream of Object.values(streams)) stream.close();
    for (const socket of sockets) socket.close();
    await wsServer.close();
  }
}

async function until<T>(read: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
