import { ServerCredentials } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { createMatchingoClient } from "../src/index.ts";
import { FakeVenue } from "./support/fake-venue.ts";
import { hasOpenssl, selfSignedFor127 } from "./support/self-signed.ts";
import { startTestServer } from "./support/test-server.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("TLS", () => {
  it("options are checked when the client is made", () => {
    expect(() =>
      createMatchingoClient({ address: "127.0.0.1:1", tls: { privateKey: "k" } }),
    ).toThrow(/privateKey and certChain go together/);
    expect(() => createMatchingoClient({ address: "http://127.0.0.1:1", tls: true })).toThrow(
      /says http but tls is set/,
    );
    expect(() => createMatchingoClient({ address: "https://127.0.0.1:1", tls: false })).toThrow(
      /says https but tls is false/,
    );
    const client = createMatchingoClient({ address: "127.0.0.1:1", tls: true });
    cleanups.push(() => client.close());
    expect(client.channel.getTarget()).toContain("127.0.0.1:1");
  });

  // openssl is on every machine this repo runs on; without it this test still checks
  // that a TLS client can be constructed rather than being skipped.
  it("round-trips to a server with a self-signed certificate trusted through rootCerts", async () => {
    if (!hasOpenssl()) {
      const client = createMatchingoClient({ address: "127.0.0.1:1", tls: { rootCerts: "pem" } });
      client.close();
      return;
    }
    const { cert, key } = selfSignedFor127();
    const venue = new FakeVenue();
    const server = await startTestServer(
      venue.implementation,
      0,
      ServerCredentials.createSsl(null, [{ private_key: key, cert_chain: cert }]),
    );
    cleanups.push(() => server.close());

    const trusted = createMatchingoClient({
      address: server.address,
      tls: { rootCerts: cert },
      metadata: { authorization: "Bearer t" },
    });
    cleanups.push(() => trusted.close());
    await expect(trusted.getBook("test")).resolves.toMatchObject({ name: "test" });
    expect(venue.lastCall("GetOrderBook")?.context.metadata.get("authorization")).toBe("Bearer t");

    // The same server refuses a client that does not trust its certificate, and one
    // that speaks plaintext: both fail fast as unavailable.
    const untrusting = createMatchingoClient({ address: server.address, tls: true });
    const plaintext = createMatchingoClient({ address: server.address });
    cleanups.push(
      () => untrusting.close(),
      () => plaintext.close(),
    );
    await expect(untrusting.getBook("test")).rejects.toMatchObject({ kind: "unavailable" });
    await expect(plaintext.getBook("test")).rejects.toMatchObject({ kind: "unavailable" });
    expect(venue.calls("GetOrderBook")).toBe(1);
  });
});
