// `comment-on-pr`: after the job summary is written, a dry run on a pull request posts its plan as
// a comment there (or updates the one an earlier run posted). Nothing about it can fail the step:
// whatever goes wrong is a warning with the fix, and the plan stays in the summary and the log.
import type { StepDeadline } from '../engine/deadline';
import { planToText, type Change } from '../engine/plan';
import { UserError, errorMessage } from '../errors';
import type { Host } from '../hosts/host';
import { commentMarker, renderPlanComment, type CommentKey } from './body';
import type { NoPullRequest } from './where';

export interface CommentOutcome {
  action: 'created' | 'updated';
  /** The pull request, as a person names it (`pull request #12`). */
  where: string;
}

/** The pull request of this run, ready to take this step's comment (a host's pullRequestComments). */
export interface PullRequestComments {
  key: CommentKey;
  upsert(marker: string, body: string, deadline: StepDeadline): Promise<CommentOutcome>;
}

export type PullRequestCommentsOrWhyNot = PullRequestComments | NoPullRequest;

export interface PlanToComment {
  stepId: string;
  title: string;
  changes: readonly Change[];
  changed: boolean;
  warnings: readonly string[];
  failure?: string;
}

/** Says what became of the comment; never throws. */
export async function commentPlan(host: Host, plan: PlanToComment, dryRun: boolean, deadline: StepDeadline): Promise<void> {
  const asked = host.inputName('comment-on-pr');
  if (!dryRun) {
    host.info(`No pull-request comment: '${asked}' posts the plan of a dry run only, and '${host.inputName('dry-run')}' is false.`);
    return;
  }
  try {
    const target = host.pullRequestComments(plan.stepId);
    if ('skip' in target) {
      const line = `No pull-request comment: ${target.skip}.`;
      if (target.warn) host.warning(line);
      else host.info(line);
      return;
    }
    const marker = commentMarker(target.key);
    const body = renderPlanComment({ marker, title: plan.title, stepId: plan.stepId, planText: planToText(plan.changes), changed: plan.changed, warnings: plan.warnings, failure: plan.failure, run: host.runReference() });
    const outcome = await deadline.race(target.upsert(marker, body, deadline), () => 'commenting the plan on the pull request');
    host.info(`Plan comment ${outcome.action} on ${outcome.where}.`);
  } catch (error) {
    const text = error instanceof UserError ? error.toDisplayString() : `Could not comment the plan on the pull request: ${errorMessage(error)}`;
    host.warning(`${text} The plan is in the job summary and the log above; the step goes on.`);
  }
}
