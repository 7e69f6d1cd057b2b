import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { BackendType, OrderStatus } from "@matchingo-mm/grpc-client/proto";
import { createChannel, Status } from "nice-grpc";
import { afterEach, describe, expect, it } from "vitest";
import { CliUsageError, parseCliOptions } from "../src/cli-options.ts";
import { connect, expectStatus, limitOrder, waitFor } from "./helpers.ts";

describe("parseCliOptions", () => {
  it("defaults to localhost:50051", () => {
    expect(parseCliOptions([], {})).toEqual({
      host: "localhost",
      port: 50051,
      latencyMs: 0,
      firstTradeStallMs: 0,
      tradeStallMs: 0,
      statsSeconds: 0,
      logLevel: "info",
      help: false,
    });
  });

  it("takes flags over environment over defaults", () => {
    const env = { VENUE_HOST: "0.0.0.0", VENUE_PORT: "6000", LOG_LEVEL: "debug" };
    expect(parseCliOptions([], env)).toMatchObject({
      host: "0.0.0.0",
      port: 6000,
      logLevel: "debug",
    });
    expect(parseCliOptions(["--port", "7000"], env)).toMatchObject({ host: "0.0.0.0", port: 7000 });
    expect(parseCliOptions(["--", "--host", "127.0.0.1"], env)).toMatchObject({
      host: "127.0.0.1",
    });
    expect(parseCliOptions(["--address", "[::1]:0"], {})).toMatchObject({ host: "::1", port: 0 });
    expect(parseCliOptions(["--address", "10.0.0.1:9", "--port", "8"], {})).toMatchObject({
      host: "10.0.0.1",
      port: 8,
    });
    expect(parseCliOptions([], { VENUE_ADDRESS: "h:1", VENUE_LATENCY_MS: "25" })).toMatchObject({
      host: "h",
      port: 1,
      latencyMs: 25,
    });
  });

  it.each([
    [["--port", "x"], 'port must be an integer from 0 to 65535, got "x"'],
    [["--port", "70000"], 'got "70000"'],
    [["--address", "nohost"], 'address must look like host:port, got "nohost"'],
    [["--latency-ms=-5"], 'latency-ms must be a number of milliseconds >= 0, got "-5"'],
    [["--stats-seconds", "soon"], 'stats-seconds must be a number of seconds >= 0, got "soon"'],
    [["--prot", "1"], "--prot"],
  ])("rejects %j with a clear message", (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(CliUsageError);
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

describe("cli", () => {
  it("serves a book over gRPC, logs order events, and exits cleanly on SIGTERM", async () => {
    const port = await freePort();
    const packageDir = fileURLToPath(new URL("..", import.meta.url));
    child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "--host", "127.0.0.1"], {
      cwd: packageDir,
      env: { ...process.env, VENUE_PORT: String(port), LOG_LEVEL: "debug" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: Array<Record<string, unknown>> = [];
    let stderr = "";
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const part of parts) if (part) lines.push(JSON.parse(part));
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child!.on("close", resolve));

    await waitFor(() => lines.some((l) => l.msg === "matchingo venue listening"), 15_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}; stderr: ${stderr}`);
      },
    );
    expect(lines.find((l) => l.msg === "matchingo venue listening")).toMatchObject({
      level: 30,
      address: `127.0.0.1:${port}`,
    });

    const channel = createChannel(`127.0.0.1:${port}`);
    try {
      const client = connect(channel);
      await client.createOrderBook({ name: "BTC-USDT", backendType: BackendType.MEMORY });
      const book = { orderBookName: "BTC-USDT" };
      const placed = await client.createOrder(limitOrder("cli-1", "buy", "49975", "0.01", book));
      expect(placed.status).toBe(OrderStatus.OPEN);
      const fetched = await client.getOrder({ ...book, orderId: "cli-1" });
      expect([fetched.price, fetched.remainingQuantity]).toEqual(["49975.000", "0.010"]);
      await client.cancelOrder({ ...book, orderId: "cli-1" });
      await expectStatus(client.getOrder({ ...book, orderId: "cli-1" }), Status.NOT_FOUND);
    } finally {
      channel.close();
    }

    await waitFor(() => lines.some((l) => l.msg === "order-canceled"));
    expect(lines.filter((l) => l.level === 20).map((l) => l.msg)).toEqual([
      "book-created",
      "book-created",
      "order-created",
      "order-canceled",
    ]);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(lines.at(-1)).toMatchObject({ msg: "matchingo venue stopped" });
  }, 30_000);
});
