import { InputProblems, PartialFailure, UserError, errorMessage } from '../../errors';
import { defineStep } from '../../engine/step';
import type { Change } from '../../engine/plan';
import { signInToAzure } from '../../azure/credential';
import { azureSignInSettings, type AzureSignInSettings } from '../../azure/inputs';
import { armErrorOf, translateArmError } from '../../azure/errors';
import { retryWhenThrottled } from '../../azure/throttle';
import { formatResourceId, parseResourceId, type ResourceId } from '../../azure/resource-id';
import { parseAllowedSubscriptions, parseEndpointPatterns, refusal, subscriptionOf, type Allowlist } from './allowlist';
import { connectionAccess, isSupported, supportedTypes, type Connection } from './connection-access';
import { approvePeConnectionsMetadata } from './metadata';
import { BoundedPool } from './pool';
import { ChangedMeanwhile, changeIfStillPending } from './still-pending';
import { runDescription } from './run-description';

/**
 * Connections changed at once. Enough to get through hundreds in a few minutes, few enough to
 * stay well inside ARM's per-principal write budget (the SDK pipeline retries 429s after
 * Retry-After, so a burst over it slows down rather than fails).
 */
export const CONCURRENCY = 8;

/** One connection in the `connections` output and the failure report. */
interface ConnectionRecord {
  id: string;
  endpoint: string | null;
  requesterSubscription: string | null;
  before: string;
  after: string;
  reason?: string;
}

interface Settings {
  resource: ResourceId;
  resourceId: string;
  action: 'approve' | 'reject';
  allowlist: Allowlist;
  description: string;
  wait: boolean;
  azure: AzureSignInSettings;
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
}
const outcomes = new WeakMap<Settings, Outcome>();

function outputsOf(settings: Settings, outcome: Outcome, changedCount: number): Record<string, string> {
  return {
    approved: String(settings.action === 'approve' ? changedCount : 0),
    rejected: String(settings.action === 'reject' ? changedCount : 0),
    skipped: String(outcome.skipped),
    connections: JSON.stringify(outcome.records),
  };
}

export const approvePeConnectionsStep = defineStep({
  metadata: approvePeConnectionsMetadata,

  settings(inputs, ctx): Settings {
    const name = (n: string) => ctx.host.inputName(n);
    // Every bad input is reported at once, before anything signs in or writes.
    const problems = new InputProblems();
    const resource = problems.attempt(() => {
      const id = parseResourceId(inputs['resource-id'], name('resource-id'));
      if (!isSupported(id)) {
        throw new UserError(
          `Input '${name('resource-id')}' is the ID of a ${id.provider}/${id.types.join('/')}, which this step cannot approve connections on.`,
          `Give the ID of one of: ${supportedTypes().join(', ')}.`,
        );
      }
      return id;
    });
    const subscriptions = problems.attempt(() =>
      parseAllowedSubscriptions(inputs['allowed-subscriptions'], resource?.subscriptionId ?? '', name('allowed-subscriptions')),
    );
    const endpointRegexps = problems.attempt(() => parseEndpointPatterns(inputs['allowed-endpoints'], name('allowed-endpoints')));
    const action = inputs.action === 'reject' ? 'reject' : 'approve';
    const description = inputs.description ?? runDescription(ctx.host, action);
    problems.expect(
      description.length <= 140,
      `Input '${name('description')}' is ${description.length} characters long.`,
      'Private endpoint connection descriptions are short notes: keep it to 140 characters.',
    );
    problems.throwIfAny();
    // Without problems every parser returned its value.
    if (!resource || !subscriptions || !endpointRegexps) throw new Error('input parsing returned no value without a problem');
    return {
      resource,
      resourceId: formatResourceId(resource),
      action,
      allowlist: {
        subscriptions,
        endpointRegexps,
        inputs: { subscriptions: name('allowed-subscriptions'), endpoints: name('allowed-endpoints') },
      },
      description,
      wait: inputs.wait,
      azure: azureSignInSettings(inputs),
    };
  },

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

    const target = settings.action === 'approve' ? 'Approved' : 'Rejected';
    const outcome: Outcome = { records: [], planned: 0, skipped: 0, leftAlone: 0, pool: new BoundedPool(CONCURRENCY), identity: session.method };
    outcomes.set(settings, outcome);
    const changes: Change[] = [];
    for (const connection of connections) {
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
        changes.push({ resource, action: 'none', detail: `connection ${connection.name} is ${before}; left as it is`, before, after: before });
        continue;
      }
      const refused = refusal(settings.allowlist, connection.endpointId);
      if (refused) {
        record.reason = `skipped: ${refused}`;
        outcome.skipped++;
        changes.push({ resource, action: 'none', detail: `skipped: ${refused} (connection ${connection.name})`, before, after: before });
        continue;
      }
      outcome.planned++;
      record.after = target;
      changes.push({
        resource,
        action: 'update',
        detail: `${settings.action} pending connection ${connection.name} from subscription ${record.requesterSubscription}`,
        before,
        after: target,
        // The engine applies changes one after another; this only waits for a slot in the pool,
        // so up to CONCURRENCY connections change at once and finish waits for all of them.
        apply: () =>
          outcome.pool.start(connection.name, async () => {
            try {
              const updated = await retryWhenThrottled(() => changeIfStillPending(access, connection, { status: target, description: settings.description }, settings.wait));
              if (updated.status.toLowerCase() !== target.toLowerCase()) throw new Error(`it is ${updated.status || 'without a state'} after the write`);
            } catch (error) {
              // Someone decided on it after the plan: their decision stands, and that is no failure.
              if (error instanceof ChangedMeanwhile) {
                record.after = error.now.status || before;
                record.reason = `left alone: ${error.message}`;
                outcome.leftAlone++;
                ctx.warn(`Connection ${connection.name} was not ${settings.action === 'approve' ? 'approved' : 'rejected'}: ${error.message}.`);
                return;
              }
              record.after = before;
              record.reason = `failed: ${armErrorOf(error).message}`;
              ctx.host.info(`Could not ${settings.action} ${connection.name}: ${armErrorOf(error).message}`);
              throw error;
            }
          }),
      });
    }
    return { changes };
  },

  async finish(settings) {
    const outcome = outcomes.get(settings)!;
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
