import { PartialFailure, UserError, errorMessage } from '../errors';
import type { Host } from '../hosts/host';
import { allOutputs, inputsFor } from '../metadata/common';
import { parseInputs } from './inputs';
import { cell, isWrite, planToMarkdown, planToText } from './plan';
import type { AllInputValues, AnyStep, Plan, StepContext } from './step';
import type { InputSpec } from '../metadata/types';

export interface StepResult {
  plan: Plan;
  outputs: Record<string, string>;
  changed: boolean;
  dryRun: boolean;
}

/** Reads inputs, plans, applies unless dry-run, then sets outputs and writes the job summary. */
export async function executeStep(step: AnyStep, host: Host): Promise<StepResult> {
  const { metadata } = step;
  // Only this host's inputs: a required input of the other host (e.g. azure-subscription on GitHub) does not exist here.
  const specs = Object.fromEntries(inputsFor(metadata, host.kind));
  // Mask secrets before anything (even an input error) can print them.
  for (const [name, spec] of Object.entries(specs)) {
    const raw = spec.secret ? host.getInput(name, { secret: true }) : undefined;
    if (raw) host.setSecret(raw);
  }
  const inputs = parseInputs(specs, {
    read: (n) => host.getInput(n, { secret: specs[n]?.secret }),
    displayName: (n) => host.inputName(n),
  }) as AllInputValues<Record<string, InputSpec>>;
  const dryRun = inputs['dry-run'] === true;
  const warnings: string[] = [];
  const ctx: StepContext = {
    host,
    dryRun,
    warn: (message) => {
      warnings.push(message);
      host.warning(message);
    },
  };

  const settings = await step.settings(inputs, ctx);
  const plan = await host.group('Plan', async () => {
    const p = await step.plan(settings, ctx);
    host.info(planToText(p.changes));
    return p;
  });
  const changed = plan.changes.some(isWrite);

  // Once the plan is shown, the summary is written whatever happens: a failed apply still tells
  // what was planned, and a partial failure still sets the outputs of what was done.
  let outputs: Record<string, string> | undefined;
  let failure: unknown;
  try {
    if (dryRun) {
      host.info(changed ? 'Dry run: the changes above were not applied.' : 'Dry run: nothing would change.');
    } else if (changed) {
      await host.group('Apply', async () => {
        for (const change of plan.changes) {
          if (!isWrite(change) || !change.apply) continue;
          host.info(`${change.action} ${change.resource}`);
          await change.apply();
        }
      });
    }
    outputs = { ...plan.outputs, ...(step.finish ? await step.finish(settings, ctx, plan) : {}) };
  } catch (error) {
    failure = error;
    if (error instanceof PartialFailure) outputs = { ...plan.outputs, ...error.outputs };
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
  if (failure) throw failure;
  return { plan, outputs: outputs!, changed, dryRun };
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
    parts.push(`> **Failed:** ${text.replace(/\n/g, '\n> ')}`, '');
  }
  if (dryRun) parts.push('> Dry run: nothing was changed. The plan shows what a real run would do.', '');
  parts.push(planToMarkdown(plan.changes));
  if (warnings.length > 0) parts.push('**Warnings**', '', ...warnings.map((w) => `- ${w}`), '');
  const shown = Object.entries(outputs);
  if (shown.length > 0) {
    parts.push('| Output | Value |', '| --- | --- |', ...shown.map(([k, v]) => `| ${k} | ${cell(summaryValue(v))} |`), '');
  }
  return parts.join('\n');
}

/**
 * The whole life of a step process on a host: run (or post-run), and turn errors into a failed
 * step. A UserError shows its message and hint only; anything else also logs its stack at debug level.
 */
export async function runStep(step: AnyStep, host: Host): Promise<void> {
  try {
    if (host.isPost()) {
      if (step.post) await step.post({ host, warn: (m) => host.warning(m) });
      host.succeed();
      return;
    }
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
