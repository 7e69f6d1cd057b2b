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
