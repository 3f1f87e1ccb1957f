// The layering `pnpm lint` enforces: the SDK never imports a step, a step never imports another
// step, and the stand-in shares no code with either. Checked through ESLint itself, as `pnpm lint`
// runs it, on code that breaks each rule and code that keeps it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { ROOT } from './support/bundles';

async function layerErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'private-wire/layers').map((m) => m.message);
}

test('a forbidden import fails the lint, with the rule in its message', async () => {
  const cases: [string, string, RegExp][] = [
    ['packages/shared/src/engine/new.ts', "import { step } from '../../../../steps/set-webapp-dns/step';\nexport { step };\n", /packages\/shared is the SDK layer and never imports a step/],
    ['steps/set-webapp-dns/new.ts', "import { parsePorts } from '../expose-internal-service/ports';\nexport { parsePorts };\n", /A step imports only its own modules and @private-wire\/shared, not 'steps\/expose-internal-service\/ports'/],
    ['steps/set-webapp-dns/new.ts', "export * from '../catalog';\n", /not 'steps\/catalog'/],
    ['packages/emulator/src/new.ts', "import { UserError } from '@private-wire/shared/errors';\nexport { UserError };\n", /The stand-in keeps its own rules/],
    ['steps/set-webapp-dns/new.ts', "import { startEmulator } from '@private-wire/emulator';\nexport { startEmulator };\n", /never import the stand-in; only tests do/],
  ];
  for (const [file, code, message] of cases) {
    const errors = await layerErrors(file, code);
    assert.equal(errors.length, 1, `${file}: ${errors.join('; ')}`);
    assert.match(errors[0]!, message);
  }
});

test('the allowed directions pass', async () => {
  const cases: [string, string][] = [
    ['steps/set-webapp-dns/new.ts', "import { UserError } from '@private-wire/shared/errors';\nimport { dnsServerProblems } from './dns-servers';\nexport { UserError, dnsServerProblems };\n"],
    ['steps/set-webapp-dns/new.test.ts', "import { startEmulator } from '@private-wire/emulator';\nimport { startWorld } from '../../test/support/harness';\nexport { startEmulator, startWorld };\n"],
    ['steps/catalog.ts', "import { setWebappDnsMetadata } from './set-webapp-dns/metadata';\nexport { setWebappDnsMetadata };\n"],
    ['scripts/new.ts', "import { step } from '../steps/set-webapp-dns/step';\nexport { step };\n"],
  ];
  for (const [file, code] of cases) assert.deepEqual(await layerErrors(file, code), [], file);
});
