/**
 * The value schemas settings are made of: each parses what a user wrote (flag, environment,
 * config file) into the value the runner uses, with the message a user reads when it is
 * wrong. Each keeps its own output type, so the resolved configuration's is inferred.
 */
export * from "./schemas/choices.ts";
export * from "./schemas/names.ts";
export * from "./schemas/network.ts";
export * from "./schemas/numbers.ts";
