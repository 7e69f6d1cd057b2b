import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PriceError } from "@matchingo-mm/core";
import { afterEach, describe, expect, it } from "vitest";
import { binance } from "../src/index.ts";

const HUGE = 50 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "7");

/** A price server answering 50 MB of digits; counts what it managed to send. */
async function hugeAnswer(declareLength: boolean) {
  const sent = { bytes: 0, closed: false };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      ...(declareLength ? { "content-length": String(HUGE) } : {}),
    });
    res.on("close", () => {
      sent.closed = true;
    });
    const pump = () => {
      while (!sent.closed && sent.bytes < HUGE) {
        sent.bytes += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once("drain", pump);
      }
      if (!sent.closed) res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, sent, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("a price answer larger than 1 MiB (issue 22, defect 9)", () => {
  for (const declareLength of [false, true]) {
    it(`is refused as bad-payload and not read whole (${declareLength ? "Content-Length 50 MB" : "chunked"})`, async () => {
      const server = await hugeAnswer(declareLength);
      close = server.close;
      const source = binance({ baseUrl: server.url, budget: false, timeoutMs: 20_000 });
      const error = await source.latest("BTC-USDT").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PriceError);
      expect((error as PriceError).kind).toBe("bad-payload");
      expect((error as PriceError).message).toMatch(/larger than 1048576 bytes/);
      // The connection was dropped: the server could not push its 50 MB (only what the
      // socket buffers took before the client hung up).
      await expect.poll(() => server.sent.closed, { timeout: 5000 }).toBe(true);
      expect(server.sent.bytes).toBeLessThan(HUGE / 4);
    });
  }
});
