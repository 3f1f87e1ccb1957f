// Which pull request a run belongs to, and what names the step's place in the pipeline, from what
// each runner tells a step in its environment. Pure: the caller reads the event file.
import type { HostKind } from '../metadata/types';
import type { CommentKey } from './body';

export interface GitHubPullRequest {
  host: 'github';
  /** REST API base (GITHUB_API_URL: https://api.github.com, or <GHES>/api/v3). */
  apiUrl: string;
  owner: string;
  repo: string;
  number: number;
  key: CommentKey;
}

export interface AzureReposPullRequest {
  host: 'azure-pipelines';
  /** System.TeamFoundationCollectionUri, e.g. https://dev.azure.com/fabrikam/ (ends with `/`). */
  collectionUri: string;
  project: string;
  repositoryId: string;
  pullRequestId: number;
  key: CommentKey;
}

export type PullRequestTarget = GitHubPullRequest | AzureReposPullRequest;

/** No comment, and why (one info or warning line). */
export interface NoPullRequest {
  skip: string;
  /** A warning (the user asked for something this pipeline cannot do) rather than an info line. */
  warn?: boolean;
}

/**
 * GitHub: the pull request of a `pull_request` / `pull_request_target` event, read from the event
 * payload (GITHUB_EVENT_PATH holds the webhook payload; its `pull_request.number`, and
 * `repository.owner.login` / `repository.name`:
 * https://docs.github.com/actions/reference/workflows-and-actions/variables and
 * https://docs.github.com/webhooks/webhook-events-and-payloads#pull_request).
 *
 * The key: the workflow file (GITHUB_WORKFLOW_REF without its `@ref`, so the same across pushes
 * and unlike the workflow's display name unique in the repository), the job's id (GITHUB_JOB) and
 * the step's id in the job (GITHUB_ACTION: the step's `id:`, or `__<owner>_<repo>` with `_2`, `_3`
 * … for a later use of the same action in the job). Matrix legs share all three, so they share
 * one comment: give each leg's workflow a distinct job, or keep comment-on-pr to one leg.
 */
export function gitHubPullRequest(stepId: string, env: NodeJS.ProcessEnv, readEvent: () => unknown): GitHubPullRequest | NoPullRequest {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (name !== 'pull_request' && name !== 'pull_request_target') return { skip: `this run is not for a pull request (event '${name || 'unknown'}')` };
  const payload = (readEvent() ?? {}) as { pull_request?: { number?: unknown }; repository?: { name?: unknown; owner?: { login?: unknown } } };
  const number = payload.pull_request?.number;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0 || !owner || !repo) {
    return { skip: 'the event payload (GITHUB_EVENT_PATH) names no pull request', warn: true };
  }
  const workflow = (env.GITHUB_WORKFLOW_REF ?? env.GITHUB_WORKFLOW ?? '').replace(/@[^@]*$/, '');
  return {
    host: 'github',
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    owner,
    repo,
    number,
    key: { stepId, parts: [workflow, env.GITHUB_JOB ?? '', env.GITHUB_ACTION ?? ''] },
  };
}

/**
 * Azure Pipelines: a build for an Azure Repos pull request (Build.Reason `PullRequest`,
 * System.PullRequest.PullRequestId; Build.Repository.Provider `TfsGit`), in the project and
 * collection of System.TeamProject / System.TeamFoundationCollectionUri, repository Build.Repository.ID
 * (https://learn.microsoft.com/azure/devops/pipelines/build/variables). The agent hands variables
 * to a task as environment variables, upper-cased with `.` as `_`.
 *
 * A pull request of a GitHub (or Bitbucket) repository also builds with Build.Reason PullRequest, but
 * its threads are not Azure DevOps threads: that is a warning, and no request.
 *
 * The key: the pipeline (System.DefinitionId), the stage and job's reference names
 * (System.StageName, System.JobName: a matrix leg has its own) and the step's reference name in the
 * job (System.TaskInstanceName: the step's `name:`, or the one the pipeline gives it). The agent
 * sets the last per task (microsoft/azure-pipelines-agent src/Agent.Worker/TaskRunner.cs,
 * WellKnownDistributedTaskVariables.TaskInstanceName = `system.taskInstanceName`).
 */
export function azureReposPullRequest(stepId: string, env: NodeJS.ProcessEnv): AzureReposPullRequest | NoPullRequest {
  const id = env.SYSTEM_PULLREQUEST_PULLREQUESTID;
  if (env.BUILD_REASON !== 'PullRequest' || !id) return { skip: `this run is not for a pull request (Build.Reason '${env.BUILD_REASON || 'unknown'}')` };
  const provider = env.BUILD_REPOSITORY_PROVIDER ?? '';
  if (provider && provider !== 'TfsGit') {
    return { skip: `the pull request is on a ${provider} repository; an Azure Pipelines comment goes to Azure Repos pull requests only`, warn: true };
  }
  const collectionUri = env.SYSTEM_TEAMFOUNDATIONCOLLECTIONURI ?? '';
  const project = env.SYSTEM_TEAMPROJECT ?? '';
  const repositoryId = env.BUILD_REPOSITORY_ID ?? '';
  const pullRequestId = Number(id);
  if (!collectionUri || !project || !repositoryId || !Number.isSafeInteger(pullRequestId) || pullRequestId <= 0) {
    return { skip: 'the pipeline variables that name the pull request (System.TeamFoundationCollectionUri, System.TeamProject, Build.Repository.ID, System.PullRequest.PullRequestId) are missing', warn: true };
  }
  return {
    host: 'azure-pipelines',
    collectionUri: collectionUri.endsWith('/') ? collectionUri : `${collectionUri}/`,
    project,
    repositoryId,
    pullRequestId,
    key: { stepId, parts: [env.SYSTEM_DEFINITIONID ?? '', env.SYSTEM_STAGENAME ?? '', env.SYSTEM_JOBNAME ?? '', env.SYSTEM_TASKINSTANCENAME ?? ''] },
  };
}

export function pullRequestOf(host: HostKind, stepId: string, env: NodeJS.ProcessEnv, readEvent: () => unknown): PullRequestTarget | NoPullRequest {
  return host === 'github' ? gitHubPullRequest(stepId, env, readEvent) : azureReposPullRequest(stepId, env);
}
