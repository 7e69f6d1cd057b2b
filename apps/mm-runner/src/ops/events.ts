/**
 * What the metrics count, in the narrowest form. Structural on purpose: events cross a
 * worker_thread boundary by structured clone, which keeps data but drops classes.
 */
export type OpsEvent =
  /** A quoting cycle ended. */
  | { readonly type: "cycle"; readonly ok: boolean; readonly durationMs?: number }
  /** One call to the venue; `code` is the gRPC status name (`OK`, `UNAVAILABLE`, ...). */
  | { readonly type: "rpc"; readonly method: string; readonly code: string }
  | { readonly type: "order-placed"; readonly side: "buy" | "sell" }
  | { readonly type: "order-canceled" }
  /** One of our resting orders traded, `quantity` a decimal string. */
  | { readonly type: "fill"; readonly side: "buy" | "sell"; readonly quantity: string }
  /** A source failed or its tick was rejected; `kind` is the PriceError kind. */
  | { readonly type: "source-failed"; readonly source: string; readonly kind: string }
  /** The answering source changed. */
  | { readonly type: "failover"; readonly from: string; readonly to: string }
  /** Every quote of the symbol was withdrawn. */
  | { readonly type: "quotes-pulled"; readonly reason: string };
