// comment-on-pr through set-webapp-dns's shipped bundles on both hosts (the representative step:
// the engine posts every step's plan the same way), against the stand-in's GitHub issue comments
// and Azure Repos pull-request threads.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';
import { runtimes } from '../../test/support/runners';

const STEP = 'set-webapp-dns';
const REPO = 'contoso/infra';
const PR = 7;
const ORG = 'contoso';
const PROJECT = 'platform';
const REPO_ID = randomUUID();
const AZ_PR = 42;
let world: World;
const token = (name: string) => `${name}-${randomBytes(16).toString('hex')}`;
const GH_WRITE = token('ghs');
const GH_READ = token('ghs');
const AZ_CONTRIBUTE = token('azdo');
const AZ_READ = token('azdo');

/** A pull_request event payload file, as the runner writes it (GITHUB_EVENT_PATH). */
function eventFile(payload: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gh-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

/** What the GitHub runner tells a step of job `job`, step id `action`, in a pull_request run. */
function gitHubEnv(over: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile({ action: 'synchronize', number: PR, pull_request: { number: PR }, repository: { name: 'infra', owner: { login: 'contoso' } } }),
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: `${world.e.urls.arm}/github-api`,
    GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/plan.yml@refs/pull/${PR}/merge`,
    GITHUB_JOB: 'plan',
    GITHUB_ACTION: 'dns',
    GITHUB_RUN_ID: String(Date.now()),
    ...over,
  };
}

/** What the Azure Pipelines agent hands a task in a build for an Azure Repos pull request. */
function azureEnv(accessToken: string | undefined, over: Record<string, string> = {}): Record<string, string> {
  return {
    BUILD_REASON: 'PullRequest',
    SYSTEM_PULLREQUEST_PULLREQUESTID: String(AZ_PR),
    BUILD_REPOSITORY_PROVIDER: 'TfsGit',
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: `${world.e.urls.arm}/azure-devops/${ORG}/`,
    SYSTEM_TEAMPROJECT: PROJECT,
    BUILD_REPOSITORY_ID: REPO_ID,
    BUILD_REPOSITORY_NAME: 'infra',
    BUILD_BUILDID: '311',
    SYSTEM_DEFINITIONID: '12',
    SYSTEM_STAGENAME: 'Plan',
    SYSTEM_JOBNAME: 'dns',
    SYSTEM_TASKINSTANCENAME: 'PrivateWireSetWebappDns1',
    ...(accessToken ? { ENDPOINT_AUTH_SystemVssConnection: JSON.stringify({ scheme: 'OAuth', parameters: { AccessToken: accessToken } }) } : {}),
    ...over,
  };
}

function run(host: HostName, inputs: Record<string, string>, env: Record<string, string>, node?: string): Promise<StepRun> {
  const hostInputs: Record<string, string> = host === 'github' && !('github-token' in inputs) ? { 'github-token': GH_WRITE } : {};
  return runShippedStep(world, STEP, host, { webapp: 'pr-app', 'resource-group': 'rg', 'dry-run': 'true', 'comment-on-pr': 'true', ...hostInputs, ...inputs }, { cluster: 'none', env, node });
}

const gitHubComments = () => world.e.pullRequests.github.comments(REPO, PR).filter((c) => c.body.startsWith('<!-- private-wire:plan:'));
const azureThreads = () => world.e.pullRequests.azureRepos.threads(ORG, PROJECT, REPO_ID, AZ_PR);
const prRequests = () => world.e.log.entries.filter((e) => e.surface === 'github' || e.surface === 'azure-devops');

function assertNoSecrets(r: StepRun, secrets: string[]): void {
  assert.deepEqual(secretsPrinted(r, [world.sp.secret, ...secrets]), []);
  for (const s of secrets) assert.ok(!r.stdout.replace(new RegExp(`^(::add-mask::|##vso\\[task\\.setsecret\\])${s}$`, 'gm'), '').includes(s) && !r.stderr.includes(s), 'the token is printed');
}

before(async () => {
  world = await startWorld({ kube: { enabled: false } });
  const { e } = world;
  e.seed.resourceGroup('rg', 'westeurope');
  e.seed.site('rg', 'pr-app', e.seed.plan('rg', 'plan').id, { appSettings: { A: '1' } });
  e.pullRequests.github.grantToken(GH_WRITE, { repository: REPO, write: true });
  e.pullRequests.github.grantToken(GH_READ, { repository: REPO, write: false });
  e.pullRequests.github.openPullRequest(REPO, PR);
  // 130 comments by people first: the step's comment is on the second page of 100.
  for (let i = 0; i < 130; i++) e.pullRequests.github.addComment(REPO, PR, `review note ${i}`);
  e.pullRequests.azureRepos.grantToken(AZ_CONTRIBUTE, { organization: ORG, contribute: true });
  e.pullRequests.azureRepos.grantToken(AZ_READ, { organization: ORG, contribute: false });
  e.pullRequests.azureRepos.openPullRequest(ORG, PROJECT, REPO_ID, AZ_PR);
});

after(() => world?.stop());

describe('GitHub: the plan as a pull-request comment', () => {
  test('the first dry run creates one comment, a later push updates it, another job and a second use in the job get their own', async () => {
    const first = await run('github', { 'dns-server': '10.0.0.10' }, gitHubEnv());
    assert.equal(first.succeeded, true, first.error ?? first.stdout);
    assert.match(first.stdout, /Plan comment created on pull request #7\./);
    assert.equal(gitHubComments().length, 1);
    const body = gitHubComments()[0]!.body;
    assert.match(body, /^<!-- private-wire:plan:set-webapp-dns:[0-9a-f]{32} -->\n### Set web app DNS — dry-run plan\n/);
    assert.match(body, /\n```text\n~ update web app pr-app dnsConfiguration: set the site's DNS servers \(dnsServers, dnsAltServer\) \(\(none\) → 10\.0\.0\.10\)\n\nFrom GitHub Actions run contoso\/infra#\d+\.\n```\n/);
    assert.match(first.summary, /## Set web app DNS \(dry run\)/, 'the summary keeps the plan');
    assertNoSecrets(first, [GH_WRITE]);
    assert.ok(first.masked.includes(GH_WRITE), 'the token is masked');

    // The next push: another run of the same workflow, job and step.
    const again = await run('github', { 'dns-server': '10.0.0.11' }, gitHubEnv({ GITHUB_RUN_ID: '999' }));
    assert.equal(again.succeeded, true, again.error);
    assert.match(again.stdout, /Plan comment updated on pull request #7\./);
    assert.equal(gitHubComments().length, 1, 'still one comment');
    assert.match(gitHubComments()[0]!.body, /→ 10\.0\.0\.11\)/);
    assert.equal(world.e.pullRequests.github.comments(REPO, PR).length, 131, "nobody else's comment changed");

    const otherJob = await run('github', { 'dns-server': '10.0.0.12' }, gitHubEnv({ GITHUB_JOB: 'plan-staging' }));
    assert.match(otherJob.stdout, /Plan comment created/);
    const secondUse = await run('github', { 'dns-server': '10.0.0.13' }, gitHubEnv({ GITHUB_ACTION: '__private-wire_set-webapp-dns_2' }));
    assert.match(secondUse.stdout, /Plan comment created/);
    assert.equal(gitHubComments().length, 3);
    assert.match(gitHubComments()[0]!.body, /→ 10\.0\.0\.11\)/, 'the first job\'s comment is its own');
    assert.deepEqual(world.e.log.writes('arm'), []);
  });

  test('not a pull request, or not a dry run: no request, one line saying why', async () => {
    world.e.log.clear();
    const push = await run('github', { 'dns-server': '10.0.0.10' }, gitHubEnv({ GITHUB_EVENT_NAME: 'push' }));
    assert.equal(push.succeeded, true, push.error);
    assert.match(push.stdout, /No pull-request comment: this run is not for a pull request \(event 'push'\)\./);
    const real = await runShippedStep(world, STEP, 'github', { webapp: 'pr-app', 'resource-group': 'rg', 'dns-server': '10.0.0.20', 'comment-on-pr': 'true', 'github-token': GH_WRITE }, { cluster: 'none', env: gitHubEnv() });
    assert.equal(real.succeeded, true, real.error);
    assert.match(real.stdout, /No pull-request comment: 'comment-on-pr' posts the plan of a dry run only, and 'dry-run' is false\./);
    assert.deepEqual(prRequests(), []);
    const off = await run('github', { 'dns-server': '10.0.0.10', 'comment-on-pr': 'false' }, gitHubEnv());
    assert.doesNotMatch(off.stdout, /pull-request comment/i);
    assert.deepEqual(prRequests(), []);
  });

  test('a token that may not comment (403): a warning with the fix, the step succeeds, the summary keeps the plan', async () => {
    const r = await run('github', { 'dns-server': '10.0.0.30', 'github-token': GH_READ }, gitHubEnv({ GITHUB_JOB: 'fork' }));
    assert.equal(r.succeeded, true, r.error);
    assert.ok(
      r.warnings.some((w) => /^Could not comment the plan on pull request #7 of contoso\/infra \(403: Resource not accessible by integration\)\. Give the job 'permissions: pull-requests: write'/.test(w)),
      r.warnings.join('\n'),
    );
    assert.match(r.summary, /\| update \| web app pr-app dnsConfiguration \|/);
    assertNoSecrets(r, [GH_READ]);
  });
});

test('GitHub: an API that never answers ends at the step\'s timeout as a warning; the step succeeds', async () => {
  world.e.faults.add({ surface: 'github', kind: 'hook', when: 'before', run: () => new Promise(() => undefined) });
  try {
    const started = Date.now();
    const r = await run('github', { 'dns-server': '10.0.0.50', timeout: '4' }, gitHubEnv({ GITHUB_JOB: 'hangs' }));
    assert.equal(r.succeeded, true, r.error);
    assert.ok(r.warnings.some((w) => /did not finish within its timeout of 4 s \(it was commenting the plan on the pull request\).*The plan is in the job summary/.test(w)), r.warnings.join('\n'));
    assert.match(r.summary, /## Set web app DNS \(dry run\)/);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms with timeout: 4`);
  } finally {
    world.e.faults.clear();
  }
});

describe('Azure Pipelines: the plan as an Azure Repos pull-request thread', () => {
  test('the first dry run creates one thread, a later run updates its first comment, another job gets its own', async () => {
    const first = await run('azure-pipelines', { 'dns-server': '10.0.0.10' }, azureEnv(AZ_CONTRIBUTE));
    assert.equal(first.succeeded, true, first.error ?? first.stdout);
    assert.match(first.stdout, /Plan comment created on pull request 42\./);
    assert.equal(azureThreads().length, 1);
    const thread = azureThreads()[0]!;
    assert.equal(thread.status, 'active');
    assert.match(thread.comments[0]!.content, /^<!-- private-wire:plan:set-webapp-dns:[0-9a-f]{32} -->\n/);
    assert.match(thread.comments[0]!.content, /\n```text\n~ update web app pr-app dnsConfiguration: .* → 10\.0\.0\.10\)\n\nFrom Azure Pipelines build infra#311\.\n```\n/);
    assertNoSecrets(first, [AZ_CONTRIBUTE]);

    const again = await run('azure-pipelines', { 'dns-server': '10.0.0.11' }, azureEnv(AZ_CONTRIBUTE, { BUILD_BUILDID: '312' }));
    assert.match(again.stdout, /Plan comment updated on pull request 42\./);
    assert.equal(azureThreads().length, 1, 'still one thread');
    assert.equal(azureThreads()[0]!.comments.length, 1);
    assert.match(azureThreads()[0]!.comments[0]!.content, /→ 10\.0\.0\.11\)/);

    const otherJob = await run('azure-pipelines', { 'dns-server': '10.0.0.12' }, azureEnv(AZ_CONTRIBUTE, { SYSTEM_JOBNAME: 'dns_staging' }));
    assert.match(otherJob.stdout, /Plan comment created/);
    const secondUse = await run('azure-pipelines', { 'dns-server': '10.0.0.13' }, azureEnv(AZ_CONTRIBUTE, { SYSTEM_TASKINSTANCENAME: 'PrivateWireSetWebappDns2' }));
    assert.match(secondUse.stdout, /Plan comment created/);
    assert.equal(azureThreads().length, 3);
  });

  test('without "Contribute to pull requests" (403), or without a token: a warning with the fix, the step succeeds', async () => {
    const denied = await run('azure-pipelines', { 'dns-server': '10.0.0.30' }, azureEnv(AZ_READ, { SYSTEM_JOBNAME: 'denied' }));
    assert.equal(denied.succeeded, true, denied.error);
    assert.ok(denied.warnings.some((w) => /^Could not comment the plan on pull request 42 \(403: TF401027: You need the Git 'PullRequestContribute' permission.*Allow the pipeline's build service identity .*'Contribute to pull requests' on the repository/.test(w)), denied.warnings.join('\n'));
    assert.match(denied.summary, /\| update \| web app pr-app dnsConfiguration \|/);
    assertNoSecrets(denied, [AZ_READ]);

    world.e.log.clear();
    const noToken = await run('azure-pipelines', { 'dns-server': '10.0.0.30' }, azureEnv(undefined));
    assert.equal(noToken.succeeded, true, noToken.error);
    assert.ok(noToken.warnings.some((w) => /No pull-request comment: the job has no access token/.test(w)), noToken.warnings.join('\n'));
    assert.deepEqual(prRequests(), []);
  });

  test('not a pull request, or a GitHub repository\'s pull request: no request', async () => {
    world.e.log.clear();
    const ci = await run('azure-pipelines', { 'dns-server': '10.0.0.10' }, azureEnv(AZ_CONTRIBUTE, { BUILD_REASON: 'IndividualCI', SYSTEM_PULLREQUEST_PULLREQUESTID: '' }));
    assert.equal(ci.succeeded, true, ci.error);
    assert.match(ci.stdout, /No pull-request comment: this run is not for a pull request \(Build\.Reason 'IndividualCI'\)\./);
    const gitHubRepo = await run('azure-pipelines', { 'dns-server': '10.0.0.10' }, azureEnv(AZ_CONTRIBUTE, { BUILD_REPOSITORY_PROVIDER: 'GitHub' }));
    assert.equal(gitHubRepo.succeeded, true, gitHubRepo.error);
    assert.ok(gitHubRepo.warnings.some((w) => /the pull request is on a GitHub repository; an Azure Pipelines comment goes to Azure Repos pull requests only/.test(w)), gitHubRepo.warnings.join('\n'));
    assert.deepEqual(prRequests(), []);
  });
});

test('both bundles comment on every Node the runners run them on (20 and 24)', async () => {
  for (const runtime of runtimes()) {
    for (const host of HOSTS) {
      const env = host === 'github' ? gitHubEnv({ GITHUB_JOB: `on-${runtime.name}` }) : azureEnv(AZ_CONTRIBUTE, { SYSTEM_JOBNAME: `on_${runtime.name}` });
      const r = await run(host, { 'dns-server': '10.0.0.40' }, env, runtime.path);
      assert.equal(r.succeeded, true, `${host} on ${runtime.name}: ${r.error ?? r.stderr}`);
      assert.match(r.stdout, /Plan comment created on pull request #?\d+\./, `${host} on ${runtime.name}`);
    }
  }
  assert.ok(runtimes().some((rt) => rt.name === 'node24'));
});
