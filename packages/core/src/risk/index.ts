/** Inventory and loss control: pure, exact, no I/O. */
export * from "./kill-switch.ts";
export * from "./limit.ts";
export * from "./limit-plan.ts";
export * from "./over-limit.ts";
export * from "./pnl.ts";
export * from "./skew.ts";
