import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorefile, renderK8sExternal, servedZones, zoneOf } from './corefile';

test('parses directives, blocks on the same or the next line, quotes and comments', () => {
  const parsed = parseCorefile('# comment\nlog {\n  class denial error # trailing\n}\nhosts "with space" {\n  10.0.0.1 a.example\n}\nexample.org:53\n{\n  errors\n}\n');
  assert.deepEqual(parsed.map((d) => [d.name, d.args, d.block?.length]), [
    ['log', [], 1],
    ['hosts', ['with space'], 1],
    ['example.org:53', [], 1],
  ]);
  assert.deepEqual(parsed[0]!.block![0], { name: 'class', args: ['denial', 'error'] });
});

test('refuses what CoreDNS would refuse to load', () => {
  assert.throws(() => parseCorefile('log {\n'), /missing '\}'/);
  assert.throws(() => parseCorefile('}\n'), /unexpected '\}'/);
  assert.throws(() => parseCorefile('hosts "open\n'), /unterminated quoted string/);
});

test('zones served by a key, by its kind', () => {
  assert.deepEqual(servedZones('a.override', 'k8s_external Internal.Example. other.example {\n ttl 5\n}\n'), { k8sExternal: ['internal.example', 'other.example'], serverBlocks: [] });
  assert.deepEqual(servedZones('b.server', 'contoso.com:53 dns://fabrikam.com {\n errors\n}\n'), { k8sExternal: [], serverBlocks: ['contoso.com', 'fabrikam.com'] });
  assert.deepEqual(servedZones('notes.txt', 'k8s_external x.example\n'), { k8sExternal: [], serverBlocks: [] });
  assert.equal(zoneOf('dns://Example.COM.:53'), 'example.com');
});

test('our snippet parses back to the one zone, with ttl and headless', () => {
  const text = renderK8sExternal('internal.example', 30, true);
  assert.deepEqual(servedZones('x.override', text).k8sExternal, ['internal.example']);
  const block = parseCorefile(text)[0]!.block!;
  assert.deepEqual(block.map((d) => [d.name, ...d.args]), [['ttl', '30'], ['headless']]);
  assert.doesNotMatch(renderK8sExternal('internal.example', 5, false), /headless/);
});
