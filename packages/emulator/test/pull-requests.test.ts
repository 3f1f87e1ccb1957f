// The stand-in's pull-request comment surfaces (comment-on-pr): GitHub REST issue comments and
// Azure Repos pull-request threads, with the rules the real services apply to a CI token.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../src/index';

let e: Emulator;

async function call(method: string, url: string, auth: string | undefined, body?: unknown) {
  return new Promise<{ status: number; body: unknown; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(new URL(url), { method, ca: e.tls.caPem, headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

before(async () => {
  e = await startEmulator({ kube: { enabled: false }, azProxy: false });
});
after(() => e?.stop());

describe('GitHub issue comments', () => {
  const api = () => `${e.urls.arm}/github-api/repos/contoso/infra`;
  before(() => {
    e.pullRequests.github.grantToken('w-token', { repository: 'contoso/infra', write: true });
    e.pullRequests.github.grantToken('r-token', { repository: 'contoso/infra', write: false });
    e.pullRequests.github.openPullRequest('contoso/infra', 3);
    for (let i = 0; i < 45; i++) e.pullRequests.github.addComment('contoso/infra', 3, `c${i}`);
  });

  test('list pages by per_page/page, ascending, linked by the Link header (next and last, then prev and first)', async () => {
    const first = await call('GET', `${api()}/issues/3/comments?per_page=20`, 'token w-token');
    assert.equal(first.status, 200);
    assert.deepEqual((first.body as { body: string }[]).map((c) => c.body), Array.from({ length: 20 }, (_, i) => `c${i}`));
    assert.match(String(first.headers.link), /<[^>]*\/issues\/3\/comments\?per_page=20&page=2>; rel="next", <[^>]*page=3>; rel="last"/);
    const last = await call('GET', `${api()}/issues/3/comments?per_page=20&page=3`, 'Bearer w-token');
    assert.equal((last.body as unknown[]).length, 5);
    assert.doesNotMatch(String(last.headers.link), /rel="next"/);
    assert.match(String(last.headers.link), /rel="prev".*rel="first"/);
    assert.equal(((await call('GET', `${api()}/issues/3/comments`, 'token w-token')).body as unknown[]).length, 30, 'per_page defaults to 30');
  });

  test('create (201) and update (200) with a token that may write; a read-only token gets 403, a bad one 401, another repository 404', async () => {
    const created = await call('POST', `${api()}/issues/3/comments`, 'token w-token', { body: 'plan' });
    assert.equal(created.status, 201);
    const id = (created.body as { id: number }).id;
    const updated = await call('PATCH', `${api()}/issues/comments/${id}`, 'token w-token', { body: 'plan 2' });
    assert.equal(updated.status, 200);
    assert.equal(e.pullRequests.github.comments('contoso/infra', 3).find((c) => c.id === id)!.body, 'plan 2');

    const denied = await call('POST', `${api()}/issues/3/comments`, 'token r-token', { body: 'x' });
    assert.deepEqual([denied.status, (denied.body as { message: string }).message], [403, 'Resource not accessible by integration']);
    assert.equal((await call('PATCH', `${api()}/issues/comments/${id}`, 'token r-token', { body: 'x' })).status, 403);
    assert.equal((await call('GET', `${api()}/issues/3/comments`, 'token nope')).status, 401);
    assert.equal((await call('GET', `${api()}/issues/3/comments`, undefined)).status, 401);
    assert.equal((await call('GET', `${e.urls.arm}/github-api/repos/contoso/other/issues/3/comments`, 'token w-token')).status, 404);
    assert.equal((await call('POST', `${api()}/issues/3/comments`, 'token w-token', { body: 'x'.repeat(65537) })).status, 422);
  });
});

describe('Azure Repos pull-request threads', () => {
  const threads = () => `${e.urls.arm}/azure-devops/contoso/platform/_apis/git/repositories/repo-1/pullRequests/42/threads`;
  before(() => {
    e.pullRequests.azureRepos.grantToken('build', { organization: 'contoso', contribute: true });
    e.pullRequests.azureRepos.grantToken('reader', { organization: 'contoso', contribute: false });
    e.pullRequests.azureRepos.openPullRequest('contoso', 'platform', 'repo-1', 42);
  });

  test('create a thread (numbers for status and type, as the spec example sends them), list {value,count}, update the first comment', async () => {
    const created = await call('POST', `${threads()}?api-version=7.1`, 'Bearer build', { comments: [{ parentCommentId: 0, content: 'plan', commentType: 1 }], status: 1 });
    assert.equal(created.status, 200);
    const thread = created.body as { id: number; status: string; comments: { id: number; commentType: string }[] };
    assert.deepEqual([thread.status, thread.comments[0]!.commentType], ['active', 'text']);
    const list = await call('GET', `${threads()}?api-version=7.1`, 'Bearer build');
    assert.deepEqual([(list.body as { count: number }).count, (list.body as { value: unknown[] }).value.length], [1, 1]);
    const patched = await call('PATCH', `${threads()}/${thread.id}/comments/${thread.comments[0]!.id}?api-version=7.1`, 'Bearer build', { content: 'plan 2' });
    assert.equal(patched.status, 200);
    assert.equal(e.pullRequests.azureRepos.threads('contoso', 'platform', 'repo-1', 42)[0]!.comments[0]!.content, 'plan 2');
  });

  test('without "Contribute to pull requests" writes are 403 TF401027; an unknown token 401; no api-version 400; an unknown pull request 404', async () => {
    const denied = await call('POST', `${threads()}?api-version=7.1`, 'Bearer reader', { comments: [{ content: 'x' }] });
    assert.equal(denied.status, 403);
    assert.match((denied.body as { message: string }).message, /^TF401027: You need the Git 'PullRequestContribute' permission/);
    assert.equal((await call('GET', `${threads()}?api-version=7.1`, 'Bearer reader')).status, 200, 'reading is allowed');
    assert.equal((await call('PATCH', `${threads()}/100/comments/1?api-version=7.1`, 'Bearer reader', { content: 'x' })).status, 403);
    assert.equal((await call('GET', `${threads()}?api-version=7.1`, 'Bearer nope')).status, 401);
    assert.equal((await call('GET', threads(), 'Bearer build')).status, 400);
    assert.equal((await call('GET', `${threads().replace('/42/', '/43/')}?api-version=7.1`, 'Bearer build')).status, 404);
  });
});
