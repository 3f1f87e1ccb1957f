// The one rule every approval or rejection follows, whatever the provider: act only on the
// connection as it is right now, and only while it is still the Pending request from the same
// private endpoint the plan saw. A person who rejected (or approved) it in the meantime wins.
import { armErrorOf } from '@private-wire/shared/azure/errors';
import { UserError } from '@private-wire/shared/errors';
import type { Connection, ConnectionAccess, NewState } from './connection-access';
import { realClock, type Clock } from './settle';

/** Pause before reading again after a 412: grows with each one, so a busy writer is not raced. */
const pauseAfter412 = (attempt: number) => Math.min(2000, 100 * attempt);

/** The connection changed since the plan; it was left as it is now. */
export class ChangedMeanwhile extends Error {
  constructor(
    readonly now: Connection,
    why: string,
  ) {
    super(why);
  }
}

const sameId = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** Why the connection as it is now may not be changed on the plan's word, or undefined. */
export function changedSincePlan(planned: Connection, now: Connection): string | undefined {
  if (now.status.toLowerCase() !== 'pending') return `it became ${now.status || 'stateless'} after the plan (someone else decided), so it was left alone`;
  if (!sameId(planned.endpointId, now.endpointId)) {
    return `its private endpoint is now ${now.endpointId ?? 'unknown'}, not ${planned.endpointId ?? 'unknown'} as planned, so it was left alone`;
  }
  return undefined;
}

export interface WriteOptions {
  /** Wait for a long-running write to end (SDK pollers), rather than return once it is accepted. */
  wait: boolean;
  /** Until when a connection that keeps changing (412 after 412) is read and tried again. */
  endsAt: number;
  clock?: Clock;
}

/**
 * Reads the connection again, checks it is still the one the plan approved, and writes the new
 * state conditioned on its etag where the provider has one. On 412 (it changed between our read
 * and our write) it reads and checks again, as long as the step has time, whatever the provider.
 * A provider without etags (providers.ts) gets no If-Match: the read just before the write is its
 * only guard, and the time between the two is the window the README names.
 * Throws ChangedMeanwhile when the connection is no longer the planned Pending request. Returns
 * what the write answered (undefined: accepted, to be read later).
 */
export async function changeIfStillPending(access: ConnectionAccess, planned: Connection, state: NewState, o: WriteOptions): Promise<Connection | undefined> {
  const clock = o.clock ?? realClock;
  for (let attempt = 1; ; attempt++) {
    const now = await access.get(planned.name);
    const why = changedSincePlan(planned, now);
    if (why) throw new ChangedMeanwhile(now, why);
    try {
      return await access.write(now, state, o.wait);
    } catch (error) {
      if (armErrorOf(error).status !== 412) throw error;
      const pause = pauseAfter412(attempt);
      if (clock.now() + pause > o.endsAt) {
        throw new UserError(
          `Connection ${planned.name} changed ${attempt} time(s) between our read and our write (412 Precondition Failed each time) until the step's time ran out; it was left as it is.`,
          'Someone else keeps changing it: re-run the step once they are done.',
        );
      }
      await clock.sleep(pause);
    }
  }
}
