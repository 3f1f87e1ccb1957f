import type { HostKind } from '../metadata/types';
import type { ProxyConfiguration } from '../net/proxy';
import type { PullRequestCommentsOrWhyNot } from '../pr-comment/post';
import type { ServiceConnection } from './service-connection';

/** What a step may do on the CI host it runs on. GitHub and Azure Pipelines adapters implement it thinly. */
export interface Host {
  readonly kind: HostKind;
  /**
   * The raw text of an input by its kebab-case name (the host maps it to its own naming).
   * With `secret`, the host reads it without logging it anywhere (mask it before use).
   */
  getInput(name: string, options?: { secret?: boolean }): string | undefined;
  /** The input's name as the user writes it on this host, for messages. */
  inputName(name: string): string;
  /** Sets an output by its kebab-case name. */
  setOutput(name: string, value: string): void;
  /**
   * Masks a value in every later log line. Call before the value can reach any log. Multi-line
   * values are masked by their credential-looking lines (see secretParts).
   */
  setSecret(value: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Adds markdown to the job summary. */
  appendSummary(markdown: string): Promise<void>;
  /**
   * Sets an environment variable for the later steps of this job (GitHub `GITHUB_ENV` through
   * core.exportVariable; Azure Pipelines a job variable through task.setvariable, which the agent
   * hands to later tasks as an environment variable). Never for secrets.
   */
  exportVariable(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string | undefined;
  /** Whether this process is the post-job run of the step. */
  isPost(): boolean;
  /** Marks the step failed with one message (no stack trace). */
  fail(message: string): void;
  /** Marks the step succeeded (Azure Pipelines needs it said; GitHub infers it). */
  succeed(): void;
  /** Environment the host runs in, for credentials and cluster access. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The service connection chosen in a service-connection input (Azure Pipelines only), with its
   * secret parameters masked before they are returned.
   */
  getServiceConnection(inputName: string): ServiceConnection | undefined;
  /**
   * Where this runner says requests should go (net/proxy.ts): on Azure Pipelines the agent's own
   * proxy when it has one, otherwise the proxy environment variables. Proxy passwords are masked
   * before it returns; a malformed setting is a UserError naming it.
   */
  proxyConfiguration(): ProxyConfiguration;
  /** An OIDC ID token for the audience from the host's issuer (GitHub `id-token: write`). */
  getIdToken(audience: string): Promise<string>;
  /** The job's access token for the host's own API (Azure Pipelines System.AccessToken), masked. */
  getSystemAccessToken(): string | undefined;
  /**
   * This pipeline run as a person would look it up (`GitHub Actions run owner/repo#123`), for notes
   * a step leaves on what it changes; undefined outside a run.
   */
  runReference(): string | undefined;
  /**
   * The pull request this run builds, ready to take the step's plan comment (`comment-on-pr`,
   * pr-comment/), or why there is none: not a pull request, not one the host can comment on, no token.
   */
  pullRequestComments(stepId: string): PullRequestCommentsOrWhyNot;
}
