import { PartialFailure } from '@private-wire/shared/errors';
import { defineStep } from '@private-wire/shared/engine/step';
import type { Change } from '@private-wire/shared/engine/plan';
import { signInToAzure } from '@private-wire/shared/azure/credential';
import { preflightFindings } from './check';
import { countOf, failsOn, sortFindings, type Finding } from './findings';
import { checkPrivatePathMetadata } from './metadata';
import { readWorld } from './read-world';
import { checkSettings } from './settings';
import { verifyFromApp } from './verify';

/** What finish needs: the findings and their outputs (plan computes both; nothing is applied). */
interface Checked {
  findings: Finding[];
  outputs: Record<'findings' | 'errors' | 'warnings' | 'ok', string>;
}

/**
 * One line of the summary table per finding. Every line is `none`: the step reads only, so the
 * engine applies nothing; the table is the findings table (severity and id first).
 */
function findingLine(f: Finding): Change {
  return { resource: f.resource, action: 'none', detail: `${f.severity.toUpperCase()} ${f.id}: ${f.message}`, after: `fix: ${f.fix}` };
}

export const step = defineStep({
  metadata: checkPrivatePathMetadata,
  settings: (inputs, ctx) => checkSettings(inputs, ctx.host),

  async plan(s, ctx) {
    const session = await signInToAzure(ctx.host, s.azure, ctx.deadline);
    const world = await readWorld(s, ctx, session);
    const verified = s.mode === 'verify' ? await verifyFromApp(session, world, ctx) : [];
    const findings = sortFindings([...preflightFindings(world), ...verified]);
    for (const f of findings) if (f.severity === 'warning') ctx.warn(`${f.id}: ${f.message} ${f.fix}`);
    const outputs = {
      findings: JSON.stringify(findings),
      errors: String(countOf(findings, 'error')),
      warnings: String(countOf(findings, 'warning')),
      ok: String(!findings.some((f) => failsOn(f, s.failOn))),
    };
    const changes = findings.length > 0 ? findings.map(findingLine) : [{ resource: `web app ${world.webapp.label}`, action: 'none' as const, detail: 'no finding: nothing found that would break the private path' }];
    return { changes, outputs, state: { findings, outputs } satisfies Checked };
  },

  async finish(s, _ctx, state: Checked) {
    const failing = state.findings.filter((f) => failsOn(f, s.failOn));
    if (failing.length > 0) {
      const first = failing[0]!;
      throw new PartialFailure(
        `${failing.length} finding${failing.length === 1 ? '' : 's'} at or above '${s.failOn}' would break the private path; the first: ${first.id}: ${first.message}`,
        `${first.fix} All findings are in the 'findings' output and the job summary.`,
        state.outputs,
      );
    }
    return state.outputs;
  },
});
