// The dependency direction of the layers, enforced by `pnpm lint` (rule `private-wire/layers`):
// - packages/shared is the SDK layer: it never imports a step (steps/…).
// - A step (steps/<id>/…) imports its own modules and @private-wire/shared, never another step
//   or the catalog: what two steps share belongs in packages/shared.
// - The stand-in (packages/emulator) and the code it is an oracle for never share code: the
//   emulator imports neither packages/shared nor steps, and neither of them imports the emulator
//   outside tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where an import points, as a path relative to the repository root (undefined: elsewhere). */
function targetOf(file, source) {
  if (source.startsWith('.')) return path.relative(ROOT, path.resolve(path.dirname(file), source)).split(path.sep).join('/');
  if (source === '@private-wire/shared' || source.startsWith('@private-wire/shared/')) return 'packages/shared/src';
  if (source === '@private-wire/emulator' || source.startsWith('@private-wire/emulator/')) return 'packages/emulator/src';
  return undefined;
}

/** The step folder a path is in or points at (`steps/<id>/…`, or `steps/<id>` itself). */
const stepOf = (rel) => /^steps\/([^/]+)\//.exec(`${rel}/`)?.[1];
/** The step folder a file is in (a file directly in steps/, such as the catalog, is in none). */
const stepOfFile = (rel) => /^steps\/([^/]+)\/./.exec(rel)?.[1];
const within = (rel, dir) => rel === dir || rel.startsWith(`${dir}/`);

/** Why an import from `from` (file, relative to the root) to `to` breaks the layering, if it does. */
export function layerViolation(from, to) {
  const isTest = /\.test\.ts$/.test(from) || within(from, 'test');
  if (within(from, 'packages/shared') && within(to, 'steps')) {
    return 'packages/shared is the SDK layer and never imports a step: move what both need into packages/shared.';
  }
  const ownStep = stepOfFile(from);
  if (ownStep && within(to, 'steps') && stepOf(to) !== ownStep) {
    return `A step imports only its own modules and @private-wire/shared, not '${to}': share code with another step through packages/shared.`;
  }
  if (within(from, 'packages/emulator') && (within(to, 'packages/shared') || within(to, 'steps'))) {
    return 'The stand-in keeps its own rules: it never imports the steps or packages/shared (an oracle that shares code agrees with its bugs).';
  }
  if (!isTest && (within(from, 'packages/shared') || within(from, 'steps')) && within(to, 'packages/emulator')) {
    return 'Step and SDK code never import the stand-in; only tests do.';
  }
  return undefined;
}

const layers = {
  meta: { type: 'problem', docs: { description: 'Keeps the layers steps → packages/shared, and the stand-in apart from both.' }, schema: [] },
  create(context) {
    const file = context.filename;
    const from = path.relative(ROOT, file).split(path.sep).join('/');
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const to = targetOf(file, source);
      const problem = to && layerViolation(from, to);
      if (problem) context.report({ node, message: problem });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers } };
