import { Gauge } from "prom-client";
import { amount, type FamilyContext, type MetricFamily } from "./metric-family.ts";
import { errorKind } from "./observed-events.ts";

/**
 * The price chain: failed sources, failovers and failbacks, jumps, trust, pulled quotes; and
 * the price in use, where it came from, its age and whether it is trusted.
 */
export function priceMetrics(context: FamilyContext): MetricFamily {
  const { prefix, registers, fromStatus, counter } = context;
  const priceErrors = counter(
    "price_errors_total",
    "Cycles without a usable price, by PriceError kind (nothing new was placed on them).",
    ["symbol", "kind"],
  );
  const sourceFailures = counter(
    "price_source_failures_total",
    'Failures of a price source, by PriceError kind (symbol="*": the whole request failed).',
    ["symbol", "source", "kind"],
  );
  const failovers = counter(
    "price_failovers_total",
    "A symbol moved down the source chain (from the failed source to the next).",
    ["symbol", "from", "to"],
  );
  const failbacks = counter(
    "price_failbacks_total",
    "A symbol moved back up the chain to a preferred source.",
    ["symbol", "from", "to"],
  );
  const allSourcesFailed = counter(
    "price_all_sources_failed_total",
    "Rounds in which no source gave a usable price for the symbol.",
    ["symbol"],
  );
  const jumps = counter(
    "price_jumps_total",
    "Price jumps beyond the guard, by outcome (confirmed by a second source, or rejected).",
    ["symbol", "outcome"],
  );
  const quotesPulled = counter(
    "quotes_pulled_total",
    "Times every quote of a symbol was withdrawn for want of a fresh or trusted price.",
    ["symbol"],
  );
  const priceUntrusted = counter(
    "price_untrusted_total",
    "Rounds whose price was not trusted, by reason (unconfirmed first price, disagree, out-of-band, jump).",
    ["symbol", "reason"],
  );
  const priceTrustedBy = counter(
    "price_trust_earned_total",
    "Times a price earned trust after not having it, by how (agreed, held, jump-accepted).",
    ["symbol", "how"],
  );
  const price = new Gauge({
    name: `${prefix}price`,
    help: "The reference price in use (display value).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const priceSource = new Gauge({
    name: `${prefix}price_source`,
    help: "1 for the source the price in use came from (synthetic or replay: not a live market).",
    labelNames: ["symbol", "source"] as const,
    registers,
    ...fromStatus,
  });
  const priceAge = new Gauge({
    name: `${prefix}price_age_seconds`,
    help: "Seconds since the price in use was received.",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });
  const priceTrusted = new Gauge({
    name: `${prefix}price_trusted`,
    help: "1 when the symbol's price is trusted to quote on, 0 while it is not (the reason in /status: feed.trust).",
    labelNames: ["symbol"] as const,
    registers,
    ...fromStatus,
  });

  return {
    observe(about, event) {
      switch (event.type) {
        case "price-error":
          priceErrors.inc({ symbol: about, kind: errorKind(event.error) });
          return;
        case "source-failed":
          sourceFailures.inc({ symbol: about, source: event.source, kind: errorKind(event.error) });
          return;
        case "failover":
          failovers.inc({ symbol: about, from: event.from, to: event.to });
          return;
        case "failback":
          failbacks.inc({ symbol: about, from: event.from, to: event.to });
          return;
        case "all-sources-failed":
          allSourcesFailed.inc({ symbol: about });
          return;
        case "jump-confirmed":
          jumps.inc({ symbol: about, outcome: "confirmed" });
          return;
        case "jump-rejected":
          jumps.inc({ symbol: about, outcome: "rejected" });
          return;
        case "quotes-pulled":
          quotesPulled.inc({ symbol: about });
          return;
        case "price-untrusted":
          priceUntrusted.inc({ symbol: about, reason: event.reason });
          return;
        case "price-trusted":
          priceTrustedBy.inc({ symbol: about, how: event.how });
          return;
      }
    },
    status: {
      gauges: [price, priceSource, priceAge, priceTrusted],
      read(status, at) {
        for (const s of status.symbols) {
          const symbol = s.symbol;
          if (s.price !== undefined) {
            price.set({ symbol }, amount(s.price.value));
            priceSource.set({ symbol, source: s.price.source }, 1);
            priceAge.set({ symbol }, Math.max(0, (at - s.price.receivedAt) / 1000));
          }
          if (s.feed?.trust !== undefined) {
            priceTrusted.set({ symbol }, s.feed.trust.trusted ? 1 : 0);
          }
        }
      },
    },
  };
}
