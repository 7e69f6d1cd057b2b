import { readFileSync } from "node:fs";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";

/**
 * Server reflection (grpcurl and friends work without the .proto), as on a real Matchingo.
 * The descriptor set is generated from ../../proto by `pnpm gen:descriptor` and committed.
 */
export function orderBookReflection(serviceNames: string[]) {
  const descriptorSet = readFileSync(new URL("./orderbook.binpb", import.meta.url));
  return {
    definition: ServerReflectionService,
    implementation: ServerReflection(descriptorSet, serviceNames),
  };
}
