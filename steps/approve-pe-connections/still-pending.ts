// The one rule every approval or rejection follows, whatever the provider: act only on the
// connection as it is right now, and only while it is still the Pending request from the same
// private endpoint the plan saw. A person who rejected (or approved) it in the meantime wins.
import { armErrorOf } from '@private-wire/shared/azure/errors';
import type { Connection, ConnectionAccess, NewState } from './connection-access';

/** Attempts when the provider answers 412 (the connection changed between our read and write). */
const ATTEMPTS = 3;

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

/**
 * Reads the connection again, checks it is still the one the plan approved, and writes the new
 * state conditioned on its etag where the provider has one; on 412 it reads and checks again.
 * Throws ChangedMeanwhile when the connection is no longer the planned Pending request.
 */
export async function changeIfStillPending(access: ConnectionAccess, planned: Connection, state: NewState, wait: boolean): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    const now = await access.get(planned.name);
    const why = changedSincePlan(planned, now);
    if (why) throw new ChangedMeanwhile(now, why);
    try {
      return await access.write(now, state, wait);
    } catch (error) {
      if (armErrorOf(error).status !== 412 || attempt >= ATTEMPTS) throw error;
    }
  }
}
