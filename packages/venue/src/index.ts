export {
  planTakerOrder,
  seededRandom,
  startTakerFlow,
  type TakerBook,
  type TakerFlow,
  type TakerFlowOptions,
  type TakerOrder,
} from "./sandbox-takers.ts";
export type {
  VenueBookInfo,
  VenueEvent,
  VenueEventListener,
  VenueOrder,
  VenueOrderStatus,
  VenueOrderType,
  VenueSide,
  VenueTimeInForce,
  VenueTrade,
} from "./types.ts";
export { startVenue, type Venue, type VenueLogger, type VenueOptions } from "./venue.ts";
