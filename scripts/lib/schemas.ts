// Validates generated host files against the hosts' official JSON schemas (vendored in
// scripts/schemas, sources and licenses in its README): a field the host does not know, or a value
// of the wrong shape, fails `pnpm generate` instead of surfacing as a tfx warning or a runner error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const SCHEMA_DIR = path.resolve(__dirname, '..', 'schemas');

function loadSchema(file: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
  // tasks.schema.json is draft-04 (`id`, `$schema` draft-04), which Ajv 8 does not read; it uses
  // no keyword whose meaning changed after draft-04, so only its identifier is renamed.
  if (typeof schema.id === 'string' && schema.$id === undefined) {
    const { id, $schema: _draft, ...rest } = schema;
    return { $id: id, ...rest };
  }
  return schema;
}

function compile(): Record<SchemaName, ValidateFunction> {
  // strict: false because the schemas use annotation keywords Ajv does not know (e.g. `examples`
  // is known, but `$comment` placements and `title` on refs are not all strict-clean).
  // unicodeRegExp: false because tasks.schema.json's patterns escape `:` (`connectedService\:`),
  // which a non-unicode ECMAScript RegExp allows and a unicode one refuses.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // The two formats vss-extension.json uses. `uri` is an absolute URI (RFC 3986), `uri-reference`
  // also a relative one; both without white space.
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  return {
    'task.json': ajv.compile(loadSchema('tasks.schema.json')),
    'action.yml': ajv.compile(loadSchema('github-action.json')),
    'vss-extension.json': ajv.compile(loadSchema('vss-extension.json')),
  };
}

export type SchemaName = 'task.json' | 'action.yml' | 'vss-extension.json';

let validators: Record<SchemaName, ValidateFunction> | undefined;

/** Which schema a generated file is checked against, by its file name; undefined for others. */
export function schemaFor(relPath: string): SchemaName | undefined {
  const base = path.posix.basename(relPath);
  return base === 'task.json' || base === 'action.yml' || base === 'vss-extension.json' ? base : undefined;
}

/** Schema violations of one file's text, each naming the file and the JSON pointer. */
export function schemaProblems(relPath: string, content: string): string[] {
  const name = schemaFor(relPath);
  if (!name) return [];
  validators ??= compile();
  const validate = validators[name];
  let doc: unknown;
  try {
    doc = name === 'action.yml' ? parse(content) : JSON.parse(content);
  } catch (error) {
    return [`${relPath}: not valid ${name === 'action.yml' ? 'YAML' : 'JSON'}: ${(error as Error).message}`];
  }
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `${relPath}: ${e.instancePath || '/'} ${e.message}${extra} (${name} schema)`;
  });
}

/** Schema violations across a set of generated files (what `pnpm generate` and `--check` refuse). */
export function generatedFilesProblems(files: ReadonlyMap<string, string | Uint8Array>): string[] {
  return [...files].flatMap(([rel, content]) => (typeof content === 'string' ? schemaProblems(rel, content) : []));
}
