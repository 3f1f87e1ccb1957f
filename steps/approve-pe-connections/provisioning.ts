// Where a written connection stands, from its status and its provider's provisioning states
// (providers.ts): still at work, done, or failed. Pure, so every provider's table is tested.
import type { Connection } from './connection-access';
import type { ProvisioningStates } from './providers';

/** The terminal states of every ARM resource (azure-resource-manager-rpc v1.0/Addendum.md, "ProvisioningState property"). */
const SUCCEEDED = ['Succeeded'];
const FAILED = ['Failed', 'Canceled'];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const listed = (states: readonly string[], state: string) => states.some((s) => same(s, state));

export type Phase = 'in-progress' | 'done' | 'failed';

/** What a provisioning state means for this provider. */
export function phaseOf(states: ProvisioningStates, state: string | undefined): Phase {
  // The RPC: a resource that returns no provisioningState is Succeeded.
  if (!state) return 'done';
  if (listed([...FAILED, ...states.failed], state)) return 'failed';
  if (listed([...SUCCEEDED, ...states.done], state)) return 'done';
  if (listed(states.transitional, state)) return 'in-progress';
  return states.unknown === 'terminal' ? 'done' : 'in-progress';
}

/** `waiting`: poll again; `settled`: provisioning ended and the status shows it; `failed`: provisioning failed. */
export type Progress = 'waiting' | 'settled' | 'failed';

/**
 * Where an approval or rejection stands. A connection still Pending with a terminal provisioning
 * state has not shown the change yet (providers may change the status only when their operation
 * ends, as SQL's Approving → Ready does), so that is waiting too.
 */
export function progressOf(connection: Connection, states: ProvisioningStates): Progress {
  const phase = phaseOf(states, connection.provisioningState);
  if (phase === 'failed') return 'failed';
  if (phase === 'in-progress' || same(connection.status, 'Pending')) return 'waiting';
  return 'settled';
}

const described = (c: Connection) => `${c.status || 'without a status'}${c.provisioningState ? ` (provisioning ${c.provisioningState})` : ''}`;

/**
 * Why the connection after our write is not what was asked, or undefined when it is. `waited`:
 * the step polled until it settled, so only the target status will do; otherwise the write was
 * only accepted, and a provider still at work on it (or accepting it without a body) is fine.
 */
export function problemAfterWrite(connection: Connection | undefined, target: string, states: ProvisioningStates, waited: boolean): string | undefined {
  // Accepted without a body: nothing more to know without waiting.
  if (!connection) return undefined;
  const phase = phaseOf(states, connection.provisioningState);
  if (phase === 'failed') return `Connection ${connection.name} ended ${described(connection)}, so it was not changed.`;
  if (same(connection.status, target)) return undefined;
  if (!waited && phase === 'in-progress') return undefined;
  return `Connection ${connection.name} is ${described(connection)} after the write, not ${target}.`;
}
