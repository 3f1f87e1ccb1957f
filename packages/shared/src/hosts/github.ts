import * as core from '@actions/core';
import { context } from '@actions/github';
import type { AnyStep } from '../engine/step';
import { endProcess, runStep } from '../engine/run';
import type { Host } from './host';
import { configurationSecrets, proxyFromEnvironment, type ProxyConfiguration } from '../net/proxy';
import { safeText } from './safe-output';
import { secretParts } from './secret-lines';
import type { ServiceConnection } from './service-connection';
import { upsertGitHubComment } from '../pr-comment/github';
import type { PullRequestCommentsOrWhyNot } from '../pr-comment/post';
import { gitHubPullRequest } from '../pr-comment/where';

/** The GitHub Actions runner, over @actions/core (INPUT_* env, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files). */
class GitHubHost implements Host {
  readonly kind = 'github' as const;
  readonly env = process.env;

  getInput(name: string): string | undefined {
    return core.getInput(name) || undefined;
  }

  inputName(name: string): string {
    return name;
  }

  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }

  setSecret(value: string): void {
    for (const part of secretParts(value)) core.setSecret(part);
  }

  // Every printed text goes through safeText: values inside it cannot become workflow commands.
  debug(message: string): void {
    core.debug(safeText(message));
  }

  info(message: string): void {
    core.info(safeText(message));
  }

  warning(message: string): void {
    core.warning(safeText(message));
  }

  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(safeText(title), fn);
  }

  async appendSummary(markdown: string): Promise<void> {
    // Outside a runner (no summary file) the summary is only logged.
    if (!process.env.GITHUB_STEP_SUMMARY) {
      this.info(markdown);
      return;
    }
    await core.summary.addRaw(markdown, true).write();
  }

  exportVariable(name: string, value: string): void {
    core.exportVariable(name, value);
  }

  saveState(name: string, value: string): void {
    core.saveState(name, value);
  }

  getState(name: string): string | undefined {
    return core.getState(name) || undefined;
  }

  isPost(): boolean {
    return core.getState('isPost') === 'true';
  }

  fail(message: string): void {
    core.setFailed(safeText(message));
  }

  succeed(): void {
    // GitHub infers success from the exit code.
  }

  getServiceConnection(): ServiceConnection | undefined {
    return undefined;
  }

  proxyConfiguration(): ProxyConfiguration {
    const configuration = proxyFromEnvironment(this.env);
    for (const secret of configurationSecrets(configuration)) this.setSecret(secret);
    return configuration;
  }

  getIdToken(audience: string): Promise<string> {
    // core.getIDToken masks the token it returns.
    return core.getIDToken(audience);
  }

  getSystemAccessToken(): string | undefined {
    return undefined;
  }

  runReference(): string | undefined {
    const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = this.env;
    return repository && run ? `GitHub Actions run ${repository}#${run}` : undefined;
  }

  pullRequestComments(stepId: string): PullRequestCommentsOrWhyNot {
    // @actions/github's context holds the event payload it read from GITHUB_EVENT_PATH.
    const pr = gitHubPullRequest(stepId, this.env, () => context.payload);
    if ('skip' in pr) return pr;
    // Masked when the engine read the inputs (secret); an unexpanded default means no runner gave one.
    const token = this.getInput('github-token');
    if (!token || token.startsWith('${{')) return { skip: "'github-token' is empty (its default is the job's GITHUB_TOKEN)", warn: true };
    return { key: pr.key, upsert: (marker, body, deadline) => upsertGitHubComment(pr, token, marker, body, deadline) };
  }
}

/** Entry point of every GitHub Action bundle. */
export function runGitHubAction(step: AnyStep): Promise<never> {
  return runStep(step, new GitHubHost()).then(endProcess);
}
