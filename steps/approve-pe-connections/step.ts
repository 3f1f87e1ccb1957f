import { PartialFailure, UserError, errorMessage } from '@private-wire/shared/errors';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import type { Change } from '@private-wire/shared/engine/plan';
import { signInToAzure } from '@private-wire/shared/azure/credential';
import { armErrorOf, translateArmError } from '@private-wire/shared/azure/errors';
import { retryWhenThrottled } from '@private-wire/shared/azure/throttle';
import { RawArm } from '@private-wire/shared/azure/raw-arm';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { refusal, subscriptionOf } from './allowlist';
import { connectionAccess, type Connection, type ConnectionAccess } from './connection-access';
import { voucherOf, vouchersFor, type Vouchers } from './front-door';
import { readPrivateOrigins } from './front-door-read';
import { approvePeConnectionsMetadata } from './metadata';
import { BoundedPool } from './pool';
import { approveSettings, type ApproveSettings } from './settings';
import { problemAfterWrite } from './provisioning';
import { untilSettled } from './settle';
import { ChangedMeanwhile, changeIfStillPending } from './still-pending';

/**
 * Connections changed at once. Enough to get through hundreds in a few minutes, few enough to
 * stay well inside ARM's per-principal write budget (the SDK pipeline retries 429s after
 * Retry-After, so a burst over it slows down rather than fails).
 */
const CONCURRENCY = 8;

/** One connection in the `connections` output and the failure report. */
interface ConnectionRecord {
  id: string;
  endpoint: string | null;
  requesterSubscription: string | null;
  before: string;
  after: string;
  /** `profile/originGroup/origin` of the Front Door origin(s) that vouched for it. */
  frontDoorOrigin?: string;
  reason?: string;
}

/** What plan hands to finish: the records, the planned counts and the pool the applies ran in. */
interface Outcome {
  records: ConnectionRecord[];
  planned: number;
  skipped: number;
  /** Planned connections someone else decided on before our write. */
  leftAlone: number;
  pool: BoundedPool;
  /** Who signed in, for hints about missing roles. */
  identity: string;
  /** What the `front-door` profile's private origins vouch for, when it is given. */
  vouchers?: Vouchers;
}

function outputsOf(settings: ApproveSettings, outcome: Outcome, changedCount: number) {
  return {
    approved: String(settings.action === 'approve' ? changedCount : 0),
    rejected: String(settings.action === 'reject' ? changedCount : 0),
    skipped: String(outcome.skipped),
    connections: JSON.stringify(outcome.records),
  };
}

export const step = defineStep({
  metadata: approvePeConnectionsMetadata,
  settings: (inputs, ctx) => approveSettings(inputs, ctx.host),

  async plan(settings, ctx) {
    const session = await signInToAzure(ctx.host, settings.azure, ctx.deadline);
    const access = connectionAccess(session, settings.resource);
    let connections: Connection[];
    try {
      connections = await access.list();
    } catch (error) {
      throw translateArmError(error, {
        what: `listing the private endpoint connections of ${settings.resourceId}`,
        identity: session.method,
        hints: { ResourceNotFound: `Check '${ctx.host.inputName('resource-id')}': the resource does not exist or is in another subscription.` },
      });
    }
    ctx.host.info(`${connections.length} private endpoint connection(s) on ${settings.resourceId} (through ${access.via}).`);
    const vouchers = await frontDoorVouchers(session, settings, ctx);
    const outcome: Outcome = { records: [], planned: 0, skipped: 0, leftAlone: 0, pool: new BoundedPool(CONCURRENCY), identity: session.method, vouchers };
    const changes = connections.map((connection) => planConnection(connection, { settings, ctx, access, outcome }));
    return { changes, state: outcome };
  },

  async finish(settings, _ctx, outcome) {
    const failures = await outcome.pool.drain();
    const done = outcome.planned - failures.length - outcome.leftAlone;
    if (failures.length > 0) {
      const translated = failures.map((f) =>
        translateArmError(f.error, { what: `${settings.action === 'approve' ? 'approving' : 'rejecting'} connection ${f.label}`, identity: outcome.identity }),
      );
      const verb = settings.action === 'approve' ? 'approved' : 'rejected';
      const hint = translated.map((t) => (t instanceof UserError ? t.hint : undefined)).find((h) => h);
      // The outputs still count what was done, so a later step (or a re-run) can act on them.
      throw new PartialFailure(
        `${failures.length} of ${outcome.planned} connection(s) could not be ${verb} (${done} were):\n${translated.map((t) => `- ${errorMessage(t)}`).join('\n')}`,
        hint ?? 'Re-run the step: connections already changed are left alone.',
        outputsOf(settings, outcome, done),
      );
    }
    return outputsOf(settings, outcome, done);
  },
});

/** Reads the `front-door` profile's private origins (before any write) and logs why some vouch for nothing. */
async function frontDoorVouchers(session: AzureSession, settings: ApproveSettings, ctx: StepContext): Promise<Vouchers | undefined> {
  if (!settings.frontDoor) return undefined;
  const profile = settings.frontDoor(session.subscriptionId);
  const origins = await readPrivateOrigins(new RawArm(session, profile.subscriptionId), profile, {
    input: ctx.host.inputName('front-door'),
    identity: session.method,
    warn: (message) => ctx.warn(message),
  });
  const vouchers = vouchersFor(profile.names[0]!, origins, settings.resourceId);
  ctx.host.info(`Front Door profile ${profile.names[0]}: ${origins.length} origin(s) with a private link, ${[...vouchers.byMessage.values()].flat().length} of them to this resource with a request message.`);
  for (const warning of vouchers.warnings) ctx.warn(warning);
  return vouchers;
}

interface Planning {
  settings: ApproveSettings;
  ctx: StepContext;
  access: ConnectionAccess;
  outcome: Outcome;
}

/** One connection's line of the plan: left as it is, skipped by the allowlist, or changed. */
function planConnection(connection: Connection, p: Planning): Change {
  const { settings, outcome } = p;
  const before = connection.status || 'Unknown';
  const record: ConnectionRecord = {
    id: connection.id,
    endpoint: connection.endpointId ?? null,
    requesterSubscription: subscriptionOf(connection.endpointId) ?? null,
    before,
    after: before,
  };
  outcome.records.push(record);
  const resource = connection.endpointId ?? connection.id;
  if (before.toLowerCase() !== 'pending') {
    record.reason = `already ${before}: only Pending connections are changed`;
    return { resource, action: 'none', detail: `connection ${connection.name} is ${before}; left as it is`, before, after: before };
  }
  // Allowlists are OR-ed: the subscription/endpoint allowlist, or a Front Door origin vouching for it.
  const refused = refusal(settings.allowlist, connection.endpointId);
  const vouchedBy = refused && outcome.vouchers ? voucherOf(outcome.vouchers, connection) : undefined;
  if (refused && !vouchedBy) {
    const why = outcome.vouchers ? `${refused}, and its description is the request message of no origin of Front Door profile ${outcome.vouchers.profile} with a private link to this resource` : refused;
    record.reason = `skipped: ${why}`;
    outcome.skipped++;
    return { resource, action: 'none', detail: `skipped: ${why} (connection ${connection.name})`, before, after: before };
  }
  if (vouchedBy) record.frontDoorOrigin = vouchedBy.replace(/^origins? /, '');
  outcome.planned++;
  record.after = settings.action === 'approve' ? 'Approved' : 'Rejected';
  const from = vouchedBy ? `Front Door ${vouchedBy} (its request message matches)` : `subscription ${record.requesterSubscription}`;
  return {
    resource,
    action: 'update',
    detail: `${settings.action} pending connection ${connection.name} from ${from}`,
    before,
    after: record.after,
    // The engine applies changes one after another; this only waits for a slot in the pool,
    // so up to CONCURRENCY connections change at once and finish waits for all of them.
    apply: () => outcome.pool.start(connection.name, () => changeConnection(connection, record, p)),
  };
}

/**
 * Writes the new state (when the connection is still the Pending request the plan saw) and, with
 * `wait`, polls until its provider's provisioning has settled; throws when it did not end as asked.
 */
async function writeAndSettle(connection: Connection, target: 'Approved' | 'Rejected', { settings, ctx, access }: Planning): Promise<void> {
  const endsAt = ctx.deadline.waitEndsAt();
  const state = { status: target, description: settings.description };
  const written = await retryWhenThrottled(() => changeIfStillPending(access, connection, state, { wait: settings.wait, endsAt }));
  const states = access.provider.provisioning;
  const final = settings.wait
    ? await untilSettled(written, { states, get: () => access.get(connection.name), endsAt, timeoutInput: ctx.host.inputName('timeout') })
    : written;
  const problem = problemAfterWrite(final, target, states, settings.wait);
  if (problem) throw new UserError(problem, 'Re-run the step: a connection still Pending is tried again, one already changed is left alone.');
}

/** Writes one planned connection, recording what became of it. */
async function changeConnection(connection: Connection, record: ConnectionRecord, p: Planning): Promise<void> {
  const { settings, ctx, outcome } = p;
  const target = settings.action === 'approve' ? 'Approved' : 'Rejected';
  try {
    await writeAndSettle(connection, target, p);
  } catch (error) {
    // Someone decided on it after the plan: their decision stands, and that is no failure.
    if (error instanceof ChangedMeanwhile) {
      record.after = error.now.status || record.before;
      record.reason = `left alone: ${error.message}`;
      outcome.leftAlone++;
      ctx.warn(`Connection ${connection.name} was not ${settings.action === 'approve' ? 'approved' : 'rejected'}: ${error.message}.`);
      return;
    }
    record.after = record.before;
    record.reason = `failed: ${armErrorOf(error).message}`;
    ctx.host.info(`Could not ${settings.action} ${connection.name}: ${armErrorOf(error).message}`);
    throw error;
  }
}
