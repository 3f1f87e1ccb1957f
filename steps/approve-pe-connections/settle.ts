// Waiting for a written connection to settle: poll its provider until the provisioning state is
// terminal and the status shows the change, bounded by the step's deadline.
import { UserError } from '@private-wire/shared/errors';
import type { Connection } from './connection-access';
import type { ProvisioningStates } from './providers';
import { progressOf } from './provisioning';

/** Between two reads of a connection whose change is still under way. */
export const POLL_MS = 2000;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface SettleOptions {
  states: ProvisioningStates;
  /** Reads the connection as the provider has it now. */
  get: () => Promise<Connection>;
  /** When waiting gives up (ms since the epoch), and the input that sets it, as the host spells it. */
  endsAt: number;
  timeoutInput: string;
  clock?: Clock;
}

/**
 * Polls until the connection settles and returns it as it then is (the caller checks its
 * status). `first` is what the write answered; without it (an accepted long-running write) the
 * connection is read first. A Failed (or Canceled, or the provider's own failed) state throws, as
 * does the deadline; both name the connection.
 */
export async function untilSettled(first: Connection | undefined, o: SettleOptions): Promise<Connection> {
  const clock = o.clock ?? realClock;
  let current = first ?? (await o.get());
  for (;;) {
    const progress = progressOf(current, o.states);
    if (progress === 'settled') return current;
    if (progress === 'failed') {
      throw new UserError(
        `Connection ${current.name} ended with provisioning state ${current.provisioningState} (status ${current.status || 'none'}).`,
        "The provider could not apply the change: see the connection's activity log. A re-run tries again while it is still Pending.",
      );
    }
    if (clock.now() + POLL_MS > o.endsAt) {
      throw new UserError(
        `Connection ${current.name} was still ${current.status || 'without a status'} with provisioning state ${current.provisioningState ?? 'none'} when the step's time ran out.`,
        `Its provider is still at work on it: raise '${o.timeoutInput}', or re-run the step later (a connection already changed is left alone).`,
      );
    }
    await clock.sleep(POLL_MS);
    current = await o.get();
  }
}
