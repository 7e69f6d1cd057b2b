import { journalPath } from "../journal/files.ts";
import { retireJournal } from "../journal/retire.ts";
import type { SupervisorOptions } from "./options.ts";
import type { Slot } from "./slots.ts";

/** A dead worker cannot cancel its orders: its journal says which they are. */
export async function cancelDeadWorkerOrders(
  options: Pick<SupervisorOptions, "runnerDir" | "gateway">,
  slot: Slot,
): Promise<void> {
  const path = journalPath(options.runnerDir, slot.config.book);
  try {
    const result = await retireJournal(path, { gateway: options.gateway });
    const failed = result.failed.length;
    slot.logger[failed > 0 ? "error" : "info"](
      { cancelled: result.cancelled, alreadyGone: result.alreadyGone, failed },
      `cancelled the dead worker's orders: ${result.cancelled} cancelled, ${result.alreadyGone} already gone${failed > 0 ? `, ${failed} could not be (kept in the journal)` : ""}`,
    );
  } catch (error) {
    slot.logger.error({ err: error }, "could not cancel the dead worker's orders");
  }
}
