// Input parsing and plan rendering: the parts of the engine every step relies on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputErrors } from '../errors';
import { kebabToCamel, kebabToPascal } from '../names';
import { parseInputs, splitList } from './inputs';
import { planToMarkdown, planToText } from './plan';

const source = (values: Record<string, string>) => ({ read: (n: string) => values[n], displayName: kebabToCamel });

describe('parseInputs', () => {
  const specs = {
    'resource-group': { type: 'string', required: true, description: 'The resource group.' },
    wait: { type: 'boolean', default: 'true', description: 'Wait.' },
    timeout: { type: 'integer', default: '600', min: 1, max: 3600, description: 'Seconds.' },
    mode: { type: 'choice', options: ['property', 'app-setting'], default: 'property', description: 'Mode.' },
    servers: { type: 'list', description: 'Servers.' },
    slot: { type: 'string', description: 'Slot.' },
  } as const;

  test('types values, applies defaults and normalises choices', () => {
    const v = parseInputs(specs, source({ 'resource-group': ' rg-1 ', wait: 'FALSE', mode: 'App-Setting', servers: '10.0.0.1, 10.0.0.2\n10.0.0.3,' }));
    assert.deepEqual(v, {
      'resource-group': 'rg-1',
      wait: false,
      timeout: 600,
      mode: 'app-setting',
      servers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      slot: undefined,
    });
  });

  test('reports every bad input at once, named as the host names it', () => {
    assert.throws(
      () => parseInputs(specs, source({ wait: 'yes', timeout: '0', mode: 'dns' })),
      (error: unknown) => {
        assert.ok(error instanceof InputErrors);
        assert.deepEqual(
          error.errors.map((e) => e.message),
          [
            "Input 'resourceGroup' is required but was not given.",
            "Input 'wait' is 'yes', which is not a boolean.",
            "Input 'timeout' is 0, which is out of range.",
            "Input 'mode' is 'dns', which is not one of the allowed values.",
          ],
        );
        assert.match(error.toDisplayString(), /^4 inputs need fixing:\n- Input 'resourceGroup'/);
        return true;
      },
    );
  });

  test('rejects non-integers', () => {
    assert.throws(() => parseInputs(specs, source({ 'resource-group': 'rg', timeout: '1.5' })), /'timeout' is '1.5', which is not a whole number/);
  });
});

test('splitList splits on commas and newlines and drops blanks', () => {
  assert.deepEqual(splitList(' a,,b\n\nc , '), ['a', 'b', 'c']);
});

test('names convert between host conventions', () => {
  assert.equal(kebabToCamel('pls-ip-count'), 'plsIpCount');
  assert.equal(kebabToPascal('vnet-integrate-webapp'), 'VnetIntegrateWebapp');
});

describe('plan rendering', () => {
  const changes = [
    { resource: 'subnet vnet/integration', action: 'create' as const, detail: 'create with delegation', after: '10.0.8.0/26' },
    { resource: 'app setting | odd', action: 'update' as const, detail: 'set DNS', before: '1.1.1.1', after: '10.0.0.10' },
    { resource: 'site web', action: 'none' as const, detail: 'already integrated' },
  ];

  test('markdown table escapes pipes and shows before and after', () => {
    assert.equal(
      planToMarkdown(changes),
      [
        '| Action | Resource | Change | Before | After |',
        '| --- | --- | --- | --- | --- |',
        '| create | subnet vnet/integration | create with delegation |  | 10.0.8.0/26 |',
        '| update | app setting \\| odd | set DNS | 1.1.1.1 | 10.0.0.10 |',
        '| none | site web | already integrated |  |  |',
        '',
      ].join('\n'),
    );
    assert.equal(planToMarkdown([]), '_Nothing to do._\n');
  });

  test('text plan marks each action', () => {
    assert.deepEqual(planToText(changes).split('\n').map((l) => l.slice(0, 2)), ['+ ', '~ ', '= ']);
  });
});
