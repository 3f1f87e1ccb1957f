// Runs a composite action.yml the way the GitHub runner does, for the steps of this repository:
// each `uses: …/actions/<step>@ref` runs that step's bundle with INPUT_* variables, `with:` and
// `if:` are evaluated with GitHub's expression rules for the subset the composite uses, and step
// outputs flow into later steps and the composite's own outputs.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Context = { inputs: Record<string, string>; steps: Record<string, { outputs: Record<string, string>; conclusion: string }> };
type Value = string | boolean;

const truthy = (v: Value) => v !== '' && v !== false;
const text = (v: Value) => (typeof v === 'boolean' ? String(v) : v);

/** Evaluates one expression (the inside of `${{ }}`): property paths, string literals, ==, !=, &&, ||, !, parentheses. */
export function evaluate(expression: string, context: Context): Value {
  const tokens = expression.match(/'(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][\w.-]*/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end of expression: ${expression}`);
    if (t === '(') {
      const v = or();
      if (next() !== ')') throw new Error(`missing ) in ${expression}`);
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true') return true;
    if (t === 'false') return false;
    const [root, ...path] = t.split('.');
    if (root === 'inputs') return context.inputs[path.join('.')] ?? '';
    if (root === 'steps' && path[1] === 'outputs') return context.steps[path[0]!]?.outputs[path.slice(2).join('.')] ?? '';
    if (root === 'steps' && path[1] === 'conclusion') return context.steps[path[0]!]?.conclusion ?? '';
    throw new Error(`unsupported expression '${t}' in ${expression}`);
  };
  const comparison = (): Value => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      // GitHub compares strings case-insensitively.
      const equal = text(left).toLowerCase() === text(primary()).toLowerCase();
      left = op === '==' ? equal : !equal;
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek() === '&&') {
      next();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (peek() === '||') {
      next();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected '${tokens[i]}' in ${expression}`);
  return value;
}

/** Replaces every `${{ … }}` in a string (a whole-string expression keeps booleans as 'true'/'false'). */
export function interpolate(template: string, context: Context): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => text(evaluate(expr.trim(), context)));
}

export interface CompositeStep {
  id: string;
  uses: string;
  if?: string;
  with?: Record<string, string>;
}

export interface CompositeAction {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  steps: CompositeStep[];
}

export function loadComposite(file: string): CompositeAction {
  const doc = parse(readFileSync(file, 'utf8'));
  if (doc?.runs?.using !== 'composite') throw new Error(`${file} is not a composite action`);
  return { inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {}, steps: doc.runs.steps };
}

/** The step id of `owner/repo/actions/<step>@ref`. */
export function stepOfUses(uses: string): string {
  const m = /\/actions\/([a-z0-9-]+)@/.exec(uses);
  if (!m) throw new Error(`'${uses}' is not a private-wire step`);
  return m[1]!;
}

export interface StepOutcome {
  id: string;
  step: string;
  skipped: boolean;
  succeeded: boolean;
  outputs: Record<string, string>;
}

/** What one step's main run gave back: its outputs, and the state its post run (if any) receives. */
export interface StepRunResult {
  succeeded: boolean;
  outputs: Record<string, string>;
  state?: Record<string, string>;
}

/** A step whose action has a `post:` and whose main step ran: the runner runs its post at the end of the job. */
export interface PendingPost {
  id: string;
  step: string;
  inputs: Record<string, string>;
  state: Record<string, string>;
}

/**
 * Runs the composite: `run(stepId, inputs)` executes one step (a bundle as the runner would) and
 * returns its outputs; the composite stops at the first failed step, as a runner does.
 */
export async function runComposite(
  action: CompositeAction,
  given: Record<string, string>,
  run: (step: string, id: string, inputs: Record<string, string>) => Promise<StepRunResult>,
  /** Called after each step that ran (the demo uses it to act as a private endpoint consumer). */
  afterStep?: (outcome: StepOutcome) => Promise<void>,
): Promise<{ succeeded: boolean; outputs: Record<string, string>; steps: StepOutcome[]; posts: PendingPost[] }> {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputs[name] = given[name] ?? spec.default ?? '';
    if (spec.required && !inputs[name]) throw new Error(`input '${name}' is required`);
  }
  const context: Context = { inputs, steps: {} };
  const outcomes: StepOutcome[] = [];
  // Post steps run after the job's steps, in reverse order, whether or not a later step failed
  // (post-if: always()), for every action whose main step ran (actions/runner registers a post
  // step when the main step runs): the caller runs them, see runPosts.
  const posts: PendingPost[] = [];
  for (const step of action.steps) {
    const condition = step.if ? step.if.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim() : undefined;
    if (condition && !truthy(evaluate(condition, context))) {
      context.steps[step.id] = { outputs: {}, conclusion: 'skipped' };
      outcomes.push({ id: step.id, step: stepOfUses(step.uses), skipped: true, succeeded: true, outputs: {} });
      continue;
    }
    const stepInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]));
    const result = await run(stepOfUses(step.uses), step.id, stepInputs);
    if (result.state) posts.unshift({ id: step.id, step: stepOfUses(step.uses), inputs: stepInputs, state: result.state });
    context.steps[step.id] = { outputs: result.outputs, conclusion: result.succeeded ? 'success' : 'failure' };
    const outcome = { id: step.id, step: stepOfUses(step.uses), skipped: false, succeeded: result.succeeded, outputs: result.outputs };
    outcomes.push(outcome);
    if (!result.succeeded) return { succeeded: false, outputs: {}, steps: outcomes, posts };
    await afterStep?.(outcome);
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, interpolate(o.value, context)]));
  return { succeeded: true, outputs, steps: outcomes, posts };
}
