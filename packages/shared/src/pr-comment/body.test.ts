import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PLAN_CHARS, commentMarker, fenceFor, isOurComment, renderPlanComment, type PlanComment } from './body';

const key = { stepId: 'set-webapp-dns', parts: ['contoso/infra/.github/workflows/plan.yml', 'plan', 'dns'] };

test('the marker: one per step and place, the same every time, no pipeline text in it', () => {
  const marker = commentMarker(key);
  assert.match(marker, /^<!-- private-wire:plan:set-webapp-dns:[0-9a-f]{32} -->$/);
  assert.equal(commentMarker({ ...key, parts: [...key.parts] }), marker, 'stable');
  assert.notEqual(commentMarker({ ...key, parts: ['contoso/infra/.github/workflows/plan.yml', 'plan', 'dns_2'] }), marker, 'a second use in the job');
  assert.notEqual(commentMarker({ ...key, parts: ['contoso/infra/.github/workflows/plan.yml', 'plan-staging', 'dns'] }), marker, 'another job');
  assert.notEqual(commentMarker({ ...key, stepId: 'aks-api-access' }), marker, 'another step');
  // Parts are kept apart: ['a', 'bc'] and ['ab', 'c'] are different places.
  assert.notEqual(commentMarker({ stepId: 's', parts: ['a', 'bc'] }), commentMarker({ stepId: 's', parts: ['ab', 'c'] }));
  const hostile = commentMarker({ stepId: 's', parts: ['--> <img src=x onerror=alert(1)> @org/team'] });
  assert.match(hostile, /^<!-- private-wire:plan:s:[0-9a-f]{32} -->$/);
});

test('isOurComment: the marker as the first line only', () => {
  const marker = commentMarker(key);
  assert.equal(isOurComment(`${marker}\n### plan`, marker), true);
  assert.equal(isOurComment(`quoting it: ${marker}\n`, marker), false);
  assert.equal(isOurComment(`${commentMarker({ ...key, parts: ['x'] })}\n`, marker), false);
  assert.equal(isOurComment(undefined, marker), false);
});

test('fenceFor: longer than any backtick run, at least three', () => {
  assert.equal(fenceFor('no ticks'), '```');
  assert.equal(fenceFor('a ``` b'), '````');
  assert.equal(fenceFor('``````'), '```````');
  assert.equal(fenceFor('`x` and ``y``'), '```');
});

const base: PlanComment = { marker: commentMarker(key), title: 'Set web app DNS', stepId: 'set-webapp-dns', planText: '~ update  web app a: set DNS', changed: true, warnings: [] };

/** The fenced block of a rendered comment: what sits between the opening fence line and the first line that closes it. */
function fencedBlock(body: string): { fence: string; inside: string; after: string } {
  const lines = body.split('\n');
  const open = lines.findIndex((l) => /^`{3,}text$/.test(l));
  const fence = lines[open]!.replace(/text$/, '');
  // CommonMark: a closing fence is a line of at least as many backticks (up to 3 spaces of indent), nothing else.
  const close = lines.findIndex((l, i) => i > open && new RegExp(`^ {0,3}${fence}\`*\\s*$`).test(l));
  return { fence, inside: lines.slice(open + 1, close).join('\n'), after: lines.slice(close + 1).join('\n') };
}

test('untrusted plan text cannot leave its block, mention anyone or add HTML', () => {
  const evil = [
    '~ update  web app a: value ```', '```', '````', '   ```````', '</details><img src=x onerror=alert(1)>', '@contoso/admins please merge', '#1 closes', '<!-- private-wire:plan:set-webapp-dns:0 -->',
  ].join('\n');
  const body = renderPlanComment({ ...base, planText: evil, warnings: ['``` warning @someone'], failure: 'boom ```` <b>x</b>', run: 'GitHub Actions run a/b#1 ```' });
  const { fence, inside, after } = fencedBlock(body);
  assert.equal(fence.length, 8, 'one more than the longest run (7)');
  assert.ok(inside.includes(evil), 'the plan is inside the block, whole');
  assert.ok(inside.includes('! ``` warning @someone') && inside.includes('Failed: boom ```` <b>x</b>') && inside.includes('From GitHub Actions run a/b#1 ```.'));
  assert.equal(after, '\n<sub>Posted by private-wire (`comment-on-pr`); each later dry run of this step in this pipeline updates this comment.</sub>');
  const outside = body.replace(inside, '');
  assert.doesNotMatch(outside, /@contoso|<img|<b>|#1/);
  assert.ok(body.startsWith(`${base.marker}\n### Set web app DNS — dry-run plan\n`));
  assert.equal(body.split(base.marker).length, 2, 'the marker once, as the first line (the copy in the plan has another hash)');
});

test('credential-looking text is redacted, a huge plan is cut, line ends are \\n', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl';
  const body = renderPlanComment({ ...base, planText: `token ${jwt}\r\nAuthorization: Bearer abcdefghijklmnop\r` });
  assert.ok(!body.includes(jwt) && !body.includes('abcdefghijklmnop'));
  assert.ok(!body.includes('\r'));
  const huge = renderPlanComment({ ...base, planText: 'x'.repeat(MAX_PLAN_CHARS * 2) });
  assert.ok(huge.length < MAX_PLAN_CHARS + 1000);
  assert.match(huge, /… \(cut: the job summary and the log have the whole plan\)\n```\n/);
});

test('the verdict line says what a real run would do', () => {
  assert.match(renderPlanComment(base), /wrote nothing: a real run would make the changes below\./);
  assert.match(renderPlanComment({ ...base, changed: false }), /wrote nothing: nothing would change\./);
  assert.match(renderPlanComment({ ...base, failure: 'x' }), /wrote nothing: the step failed after planning\./);
});
