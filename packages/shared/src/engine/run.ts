import { AzureLogger } from '@azure/logger';
import { format } from 'node:util';
import { PartialFailure, UserError, errorMessage } from '../errors';
import type { Host } from '../hosts/host';
import { allOutputs, inputsFor } from '../metadata/common';
import type { StepMetadata } from '../metadata/types';
import { StepDeadline } from './deadline';
import { ProxyRoutes, installProxyRoutes } from '../net/proxy-routes';
import { parseInputs } from './inputs';
import { cell, isWrite, planToMarkdown, planToText } from './plan';
import { commentPlan } from '../pr-comment/post';
import type { AnyStep, Plan, StepContext } from './step';
import type { InputValues } from './inputs';
import type { COMMON_INPUTS } from '../metadata/common';

/** What the engine reads itself of a step's parsed inputs. */
type EngineInputs = Record<string, unknown> & InputValues<typeof COMMON_INPUTS>;

export interface StepResult {
  plan: Plan;
  outputs: Record<string, string>;
  changed: boolean;
  dryRun: boolean;
}

/** Masks secret inputs, then reads and types every input of this host. */
function readInputs(metadata: StepMetadata, host: Host): EngineInputs {
  // Only this host's inputs: a required input of the other host (e.g. azure-subscription on GitHub) does not exist here.
  const specs = Object.fromEntries(inputsFor(metadata, host.kind));
  // Mask secrets before anything (even an input error) can print them.
  for (const [name, spec] of Object.entries(specs)) {
    const raw = spec.secret ? host.getInput(name, { secret: true }) : undefined;
    if (raw) host.setSecret(raw);
  }
  return parseInputs(specs, {
    read: (n) => host.getInput(n, { secret: specs[n]?.secret }),
    displayName: (n) => host.inputName(n),
  }) as EngineInputs;
}

/** Applies every write of the plan in order (the engine's only writes). */
async function applyPlan(plan: Plan, host: Host, progress: { doing: string }): Promise<void> {
  await host.group('Apply', async () => {
    for (const change of plan.changes) {
      if (!isWrite(change) || !change.apply) continue;
      host.info(`${change.action} ${change.resource}`);
      progress.doing = `applying: ${change.action} ${change.resource}`;
      await change.apply();
    }
  });
}

/** Reads inputs, plans, applies unless dry-run, then sets outputs and writes the job summary. */
export async function executeStep(step: AnyStep, host: Host): Promise<StepResult> {
  const { metadata } = step;
  const inputs = readInputs(metadata, host);
  const dryRun = inputs['dry-run'] === true;
  const deadline = new StepDeadline(inputs.timeout, host.inputName('timeout'));
  const warnings: string[] = [];
  const ctx: StepContext = {
    host,
    dryRun,
    deadline,
    warn: (message) => {
      warnings.push(message);
      host.warning(message);
    },
  };
  // Whatever is still waiting when the time is up (a request that never answers included), the step ends.
  const progress = { doing: 'planning' };
  const inTime = <T>(work: Promise<T>) => deadline.race(work, () => progress.doing);

  const settings = await step.settings(inputs, ctx);
  const plan = await inTime(
    host.group('Plan', async () => {
      const p = await step.plan(settings, ctx);
      host.info(planToText(p.changes));
      return p;
    }),
  );
  const changed = plan.changes.some(isWrite);

  // Once the plan is shown, the summary is written whatever happens: a failed apply still tells
  // what was planned, and a partial failure still sets the outputs of what was done.
  let outputs: Record<string, string> | undefined;
  let failure: unknown;
  try {
    if (dryRun) {
      host.info(changed ? 'Dry run: the changes above were not applied.' : 'Dry run: nothing would change.');
    } else if (changed) {
      await inTime(applyPlan(plan, host, progress));
    }
    progress.doing = 'finishing (waiting for the results of the changes)';
    outputs = { ...plan.outputs, ...(step.finish ? await inTime(step.finish(settings, ctx, plan.state)) : {}) } as Record<string, string>;
  } catch (error) {
    failure = error;
    if (error instanceof PartialFailure) outputs = { ...plan.outputs, ...error.outputs } as Record<string, string>;
  }

  if (outputs) {
    outputs.changed = String(changed);
    const declared = allOutputs(metadata);
    for (const [name, value] of Object.entries(outputs)) {
      if (!(name in declared)) throw new Error(`step ${metadata.id} set undeclared output '${name}'`);
      host.setOutput(name, value);
    }
  }
  await host.appendSummary(summaryMarkdown(metadata.title, plan, outputs ?? {}, warnings, dryRun, failure));
  // After the summary: a comment that cannot be posted loses nothing (and never fails the step).
  if (inputs['comment-on-pr']) await commentPlan(host, { stepId: metadata.id, title: metadata.title, changes: plan.changes, changed, warnings, failure: failureText(failure) }, dryRun, deadline);
  if (failure) throw failure;
  return { plan, outputs: outputs!, changed, dryRun };
}

function failureText(failure: unknown): string | undefined {
  if (failure === undefined) return undefined;
  return failure instanceof UserError ? failure.toDisplayString() : `Unexpected error: ${errorMessage(failure)}`;
}

/** Long outputs (JSON lists) would drown the summary table; the full value is in the output. */
function summaryValue(value: string): string {
  return value.length > 160 ? `${value.slice(0, 120)}… (${value.length} characters in the output)` : value;
}

function summaryMarkdown(
  title: string,
  plan: Plan,
  outputs: Record<string, string>,
  warnings: string[],
  dryRun: boolean,
  failure?: unknown,
): string {
  const parts = [`## ${title}${dryRun ? ' (dry run)' : failure ? ' (failed)' : ''}`, ''];
  if (failure) {
    const text = failure instanceof UserError ? failure.toDisplayString() : `Unexpected error: ${errorMessage(failure)}`;
    parts.push(`> **Failed:** ${cell(text)}`, '');
  }
  if (dryRun) parts.push('> Dry run: nothing was changed. The plan shows what a real run would do.', '');
  parts.push(planToMarkdown(plan.changes));
  if (warnings.length > 0) parts.push('**Warnings**', '', ...warnings.map((w) => `- ${cell(w)}`), '');
  const shown = Object.entries(outputs);
  if (shown.length > 0) {
    parts.push('| Output | Value |', '| --- | --- |', ...shown.map(([k, v]) => `| ${k} | ${cell(summaryValue(v))} |`), '');
  }
  return parts.join('\n');
}

/**
 * The Azure SDKs log to stderr when AZURE_LOG_LEVEL is set, with values from Azure (and, for some
 * identity errors, request headers) in the text. Their documented sink, AzureLogger.log, goes
 * through the host instead, so every line is redacted and cannot become a runner command.
 */
function routeSdkLogs(host: Host): void {
  AzureLogger.log = (...args: unknown[]) => host.debug(format(...args));
}

/** A post-job run: the step's cleanup, bounded by its `timeout` like the main run. */
async function runPost(step: AnyStep, host: Host): Promise<void> {
  if (!step.post) return;
  const inputs = readInputs(step.metadata, host);
  const deadline = new StepDeadline(inputs.timeout, host.inputName('timeout'));
  await deadline.race(step.post({ host, deadline, warn: (m) => host.warning(m) }, inputs), () => 'cleaning up after the job');
}

/**
 * The whole life of a step process on a host: run (or post-run), and turn errors into a failed
 * step. A UserError shows its message and hint only; anything else also logs its stack at debug level.
 */
export async function runStep(step: AnyStep, host: Host): Promise<void> {
  routeSdkLogs(host);
  // A promise nobody awaits any more (a token refresh, a request the deadline abandoned) must not
  // crash the process or print a second result: it is noted at debug level only.
  process.on('unhandledRejection', (reason) => host.debug(`Ignored a background failure: ${errorMessage(reason)}`));
  try {
    // One proxy decision for every client of this process (ARM, Entra ID, Kubernetes), from the host.
    installProxyRoutes(new ProxyRoutes(host.proxyConfiguration(), (message) => host.info(message), (message) => host.warning(message)));
    if (host.isPost()) {
      await runPost(step, host);
      host.succeed();
      return;
    }
    // A post phase runs only when the generated action.yml / task.json declare it (metadata `post`).
    if (!!step.post !== (step.metadata.post === true)) throw new Error(`step ${step.metadata.id}: metadata.post and the step's post function must go together`);
    // How the later run of the same bundle knows it is the post-job one. GitHub: the state the main
    // run saved (STATE_isPost, as actions/checkout src/state-helper.ts does; the runner registers a
    // post step only for an action whose main step ran). Azure Pipelines: the post-job entry says so
    // itself (dist/post.js, see AzurePipelinesHost.isPost); saving it there too is harmless.
    if (step.post) host.saveState('isPost', 'true');
    await executeStep(step, host);
    host.succeed();
  } catch (error) {
    if (error instanceof UserError) {
      host.fail(error.toDisplayString());
    } else {
      if (error instanceof Error && error.stack) host.debug(error.stack);
      host.fail(`Unexpected error: ${errorMessage(error)}`);
    }
  }
}

/**
 * Ends the process once its output is flushed. The result is printed: sockets left open (a watch
 * whose headers never came, keep-alive connections) and timers (token refresh) must not keep the
 * job step waiting, nor let anything print after the result.
 */
export async function endProcess(): Promise<never> {
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.race([Promise.all([flushed(process.stdout), flushed(process.stderr)]), new Promise((r) => setTimeout(r, 500))]);
  process.exit();
}
