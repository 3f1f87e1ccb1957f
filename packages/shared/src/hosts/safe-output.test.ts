import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { azurePipelinesCommands, gitHubCommands } from '../../../../test/support/runner-commands';
import { markdownInline, neutralizeCommands, redactCredentials, safeText } from './safe-output';

const HOSTILE = [
  'false\n::stop-commands::pwn\n',
  'x\r::add-mask::y',
  '  \t::set-output name=a::b',
  '\u00a0::error::fake',
  'ok ##vso[task.setvariable variable=X]1',
  '##vso[task.complete result=Succeeded;]done',
  'a\r\n##[group]fake group',
  'mid ##[warning]legacy',
  '::',
  'multi\nline\r\nvalue\rwith ::warning::inside',
];

describe('neutralizeCommands', () => {
  test('no hostile value yields a command on either runner', () => {
    for (const value of HOSTILE) {
      const out = neutralizeCommands(value);
      assert.deepEqual(gitHubCommands(out), [], JSON.stringify(value));
      assert.deepEqual(azurePipelinesCommands(out), [], JSON.stringify(value));
    }
  });

  test('the hostile values are commands before neutralizing (the oracle sees them)', () => {
    for (const value of HOSTILE.slice(0, 8)) {
      assert.ok(gitHubCommands(value).length + azurePipelinesCommands(value).length > 0, JSON.stringify(value));
    }
  });

  test('keeps ordinary text as it is and normalises line ends', () => {
    assert.equal(neutralizeCommands('Service default/api: set ipv4=10.0.0.5 (a → b)'), 'Service default/api: set ipv4=10.0.0.5 (a → b)');
    assert.equal(neutralizeCommands('a\r\nb\rc'), 'a\nb\nc');
    assert.equal(neutralizeCommands('text with :: inside'), 'text with :: inside');
    assert.equal(neutralizeCommands('::stop-commands::x'), ':_:stop-commands::x');
    assert.equal(neutralizeCommands('see ##vso[task.debug]'), 'see ##_vso[task.debug]');
  });
});

describe('redactCredentials', () => {
  test('removes bearer tokens, basic credentials, URL user-info, token fields and JWTs', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const cases: [string, string][] = [
      ['Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer ***'],
      [`"headers":{"authorization":"Bearer ${jwt}"}`, '"headers":{"authorization":"Bearer ***"}'],
      [`Basic ${Buffer.from('user:pass').toString('base64')}`, 'Basic ***'],
      ['https://admin:hunter2@10.0.0.1:6443/api', 'https://***@10.0.0.1:6443/api'],
      ['client_secret=s3cr3t&grant_type=x', 'client_secret=***&grant_type=x'],
      ['{"access_token":"abc","x":1}', '{"access_token":"***","x":1}'],
      [`token ${jwt} expired`, 'token *** expired'],
    ];
    for (const [input, expected] of cases) assert.equal(redactCredentials(input), expected);
  });

  test('leaves prose alone', () => {
    for (const text of ['Scale the plan to Basic or higher.', 'Basic configuration of the app', 'https://management.azure.com/subscriptions/x', 'the Bearer scheme']) {
      assert.equal(redactCredentials(text), text);
    }
  });
});

test('safeText redacts and neutralizes', () => {
  assert.equal(safeText('x\n::add-mask::Bearer abcdefghijkl'), 'x\n:_:add-mask::Bearer ***');
});

describe('markdownInline', () => {
  test('a value cannot break a table row, open HTML or add a line', () => {
    assert.equal(markdownInline('a | b\nc <img src=x> & d\\'), 'a \\| b<br>c &lt;img src=x&gt; &amp; d\\\\');
    assert.equal(markdownInline(undefined), '');
    assert.equal(markdownInline('x\r\ny\rz'), 'x<br>y<br>z');
  });
});
