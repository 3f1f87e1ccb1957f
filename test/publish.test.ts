// pnpm publish:vsix: your own publisher, private sharing with organizations or public listing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePublishArgs, tfxPublishArgs } from '../scripts/lib/publish';
import { tfxCreateArgs } from '../scripts/lib/vsix';

test('private publishing: packed under your publisher, shared with the organizations named', () => {
  const request = parsePublishArgs(['--publisher', 'contoso-devops', '--share-with', 'contoso,fabrikam'], {});
  assert.deepEqual(request, { publisher: 'contoso-devops', extensionId: undefined, public: false, shareWith: ['contoso', 'fabrikam'] });
  const create = tfxCreateArgs('/repo', '/repo/dist/x.vsix', request);
  assert.deepEqual(create.slice(create.indexOf('--publisher'), create.indexOf('--publisher') + 2), ['--publisher', 'contoso-devops']);
  assert.ok(!create.includes('--override'), 'a private extension keeps the manifest\'s public: false');
  assert.deepEqual(tfxPublishArgs('/repo/dist/x.vsix', request, undefined), [
    'extension', 'publish', '--vsix', '/repo/dist/x.vsix', '--share-with', 'contoso', 'fabrikam', '--no-prompt', '--no-color',
  ]);
});

test('public publishing overrides the manifest\'s public flag and shares with no one in particular', () => {
  const request = parsePublishArgs(['--public'], { PRIVATE_WIRE_PUBLISHER: 'contoso-devops' });
  assert.equal(request.publisher, 'contoso-devops');
  const create = tfxCreateArgs('/repo', '/out.vsix', { ...request, extensionId: 'private-wire-contoso' });
  assert.equal(create[create.indexOf('--override') + 1], '{"public":true}');
  assert.equal(create[create.indexOf('--extension-id') + 1], 'private-wire-contoso');
  const publish = tfxPublishArgs('/out.vsix', request, 'pat-value');
  assert.ok(!publish.includes('--share-with'));
  assert.equal(publish[publish.indexOf('--token') + 1], 'pat-value');
});

test('refuses what it cannot publish, saying what to give', () => {
  assert.throws(() => parsePublishArgs(['--share-with', 'contoso'], {}), /No publisher: give --publisher/);
  assert.throws(() => parsePublishArgs(['--publisher', 'my publisher', '--public'], {}), /is not a Marketplace ID/);
  assert.throws(() => parsePublishArgs(['--publisher', 'contoso'], {}), /--share-with <organization> \(private\) or --public/);
  assert.throws(() => parsePublishArgs(['--publisher', 'contoso', '--public', '--share-with', 'a'], {}), /exclude each other/);
  assert.throws(() => parsePublishArgs(['--publisher', 'contoso', '--share-with', 'https://dev.azure.com/a'], {}), /is not an organization name/);
  assert.throws(() => parsePublishArgs(['--publisher', '--public'], {}), /--publisher needs a value/);
  assert.throws(() => parsePublishArgs(['--publisher', 'contoso', '--public', '--token', 'x'], {}), /Unknown option --token/);
});
