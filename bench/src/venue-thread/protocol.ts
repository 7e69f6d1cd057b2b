import type { VenueOrder, VenueTrade } from "@matchingo-mm/venue";
import type { DepthReport } from "./depth-watch.ts";

/** Requests from the bench to the venue's thread; each is answered by `id`. */
export type VenueRequest =
  | { readonly id: number; readonly type: "live-orders"; readonly book?: string }
  | { readonly id: number; readonly type: "trades"; readonly book?: string }
  | { readonly id: number; readonly type: "set-latency"; readonly ms: number }
  | {
      readonly id: number;
      readonly type: "watch";
      readonly book: string;
      readonly userAddress: string;
      readonly levels: number;
    }
  | { readonly id: number; readonly type: "report"; readonly book: string }
  | { readonly id: number; readonly type: "unwatch"; readonly book: string }
  | { readonly id: number; readonly type: "close" };

/** Plain data only (structured clone): dates travel as epoch ms. */
export type WireOrder = Omit<VenueOrder, "createdAt"> & { readonly createdAt: number };
export type WireTrade = Omit<VenueTrade, "time"> & { readonly time: number };

export type VenueReply =
  | { readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export type VenueAnswer = {
  "live-orders": WireOrder[];
  trades: WireTrade[];
  "set-latency": undefined;
  watch: undefined;
  report: DepthReport;
  unwatch: undefined;
  close: undefined;
};

export interface VenueReady {
  readonly type: "ready";
  readonly address: string;
}
