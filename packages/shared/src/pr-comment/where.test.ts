import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commentMarker } from './body';
import { azureReposPullRequest, gitHubPullRequest, type AzureReposPullRequest, type GitHubPullRequest } from './where';

const event = { pull_request: { number: 7 } };
const gh = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_REPOSITORY: 'contoso/infra',
  GITHUB_API_URL: 'https://ghe.contoso.com/api/v3/',
  GITHUB_WORKFLOW_REF: 'contoso/infra/.github/workflows/plan.yml@refs/pull/7/merge',
  GITHUB_JOB: 'plan',
  GITHUB_ACTION: 'dns',
};

test('GitHub: the pull request of a pull_request or pull_request_target event, API base from GITHUB_API_URL', () => {
  const pr = gitHubPullRequest('set-webapp-dns', gh, () => event) as GitHubPullRequest;
  assert.deepEqual({ ...pr, key: undefined }, { host: 'github', apiUrl: 'https://ghe.contoso.com/api/v3', owner: 'contoso', repo: 'infra', number: 7, key: undefined });
  assert.equal((gitHubPullRequest('s', { ...gh, GITHUB_EVENT_NAME: 'pull_request_target' }, () => event) as GitHubPullRequest).number, 7);
  assert.equal((gitHubPullRequest('s', { ...gh, GITHUB_API_URL: undefined }, () => event) as GitHubPullRequest).apiUrl, 'https://api.github.com');
});

test('GitHub: the key stays across pushes and runs, and differs per job and per use in the job', () => {
  const marker = (env: NodeJS.ProcessEnv) => commentMarker((gitHubPullRequest('set-webapp-dns', env, () => event) as GitHubPullRequest).key);
  const first = marker(gh);
  assert.equal(marker({ ...gh, GITHUB_RUN_ID: '2', GITHUB_SHA: 'abc', GITHUB_WORKFLOW_REF: 'contoso/infra/.github/workflows/plan.yml@refs/pull/7/merge' }), first);
  assert.notEqual(marker({ ...gh, GITHUB_JOB: 'plan-staging' }), first);
  assert.notEqual(marker({ ...gh, GITHUB_ACTION: '__contoso_private-wire_2' }), first);
  assert.notEqual(marker({ ...gh, GITHUB_WORKFLOW_REF: 'contoso/infra/.github/workflows/other.yml@refs/pull/7/merge' }), first);
});

test('GitHub: not a pull request, or a payload without one, is a reason and reads no event', () => {
  let read = false;
  assert.deepEqual(gitHubPullRequest('s', { ...gh, GITHUB_EVENT_NAME: 'push' }, () => ((read = true), event)), { skip: "this run is not for a pull request (event 'push')" });
  assert.equal(read, false);
  assert.equal((gitHubPullRequest('s', gh, () => ({})) as { warn?: boolean }).warn, true);
  assert.equal((gitHubPullRequest('s', gh, () => ({ pull_request: { number: '7' } })) as { warn?: boolean }).warn, true);
});

const az = {
  BUILD_REASON: 'PullRequest',
  SYSTEM_PULLREQUEST_PULLREQUESTID: '42',
  BUILD_REPOSITORY_PROVIDER: 'TfsGit',
  SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: 'https://dev.azure.com/contoso',
  SYSTEM_TEAMPROJECT: 'platform',
  BUILD_REPOSITORY_ID: 'a1b2',
  SYSTEM_DEFINITIONID: '12',
  SYSTEM_STAGENAME: 'Plan',
  SYSTEM_JOBNAME: 'dns',
  SYSTEM_TASKINSTANCENAME: 'PrivateWireSetWebappDns1',
};

test('Azure Pipelines: an Azure Repos pull request; the key differs per job and task instance only', () => {
  const pr = azureReposPullRequest('set-webapp-dns', az) as AzureReposPullRequest;
  assert.deepEqual({ ...pr, key: undefined }, { host: 'azure-pipelines', collectionUri: 'https://dev.azure.com/contoso/', project: 'platform', repositoryId: 'a1b2', pullRequestId: 42, key: undefined });
  const marker = (env: NodeJS.ProcessEnv) => commentMarker((azureReposPullRequest('set-webapp-dns', env) as AzureReposPullRequest).key);
  assert.equal(marker({ ...az, BUILD_BUILDID: '99', SYSTEM_JOBID: 'another-attempt' }), marker(az));
  assert.notEqual(marker({ ...az, SYSTEM_JOBNAME: 'dns_staging' }), marker(az));
  assert.notEqual(marker({ ...az, SYSTEM_TASKINSTANCENAME: 'PrivateWireSetWebappDns2' }), marker(az));
  assert.notEqual(marker({ ...az, SYSTEM_DEFINITIONID: '13' }), marker(az));
});

test('Azure Pipelines: not a pull request is info; a GitHub repository or missing variables are warnings', () => {
  assert.deepEqual(azureReposPullRequest('s', { ...az, BUILD_REASON: 'IndividualCI' }), { skip: "this run is not for a pull request (Build.Reason 'IndividualCI')" });
  const github = azureReposPullRequest('s', { ...az, BUILD_REPOSITORY_PROVIDER: 'GitHub' }) as { skip: string; warn?: boolean };
  assert.equal(github.warn, true);
  assert.match(github.skip, /on a GitHub repository; an Azure Pipelines comment goes to Azure Repos pull requests only/);
  assert.equal((azureReposPullRequest('s', { ...az, BUILD_REPOSITORY_ID: '' }) as { warn?: boolean }).warn, true);
});
