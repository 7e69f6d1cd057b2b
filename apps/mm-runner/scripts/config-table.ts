// Prints the README's configuration table: pnpm --filter mm-runner exec tsx scripts/config-table.ts
import { configTableMarkdown } from "../src/config/table.ts";

console.log(configTableMarkdown());
