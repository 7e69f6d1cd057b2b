import { expect, it } from "vitest";
import { main } from "../examples/custom-strategy.ts";

it("the README's custom strategy runs: long past the ladder's worth, it only offers", async () => {
  expect(await main()).toEqual([
    "sell 0.010 @ 50025.00",
    "sell 0.020 @ 50050.00",
    "sell 0.040 @ 50075.00",
  ]);
});
