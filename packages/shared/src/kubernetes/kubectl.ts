// kubectl command lines for the AKS run command, and what their output means. Pure: building and
// parsing only (run-command-client.ts sends them). Several kubectl calls share one run command (each
// costs 10–60 s in Azure); each call's output (stderr folded into stdout) is followed by a line
// with its exit code, so one command's output can be split back into the calls' answers.
import { FIELD_MANAGER } from './managed-fields';

export type KubeKind = 'Service' | 'Namespace' | 'ConfigMap' | 'Deployment';

/** One object, as kubectl names it. */
export interface ObjectRef {
  kind: KubeKind;
  name: string;
  namespace?: string;
}

/** kubectl's resource names (`kubectl api-resources`); Deployment qualified, as other groups have one too. */
const RESOURCE: Record<KubeKind, string> = { Service: 'service', Namespace: 'namespace', ConfigMap: 'configmap', Deployment: 'deployment.apps' };

/** Ends each call's output: `@@private-wire rc=<exit code>`. */
const MARK = '@@private-wire rc=';

/** One argument for a POSIX shell, single-quoted (a `'` inside closes, escapes and reopens). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * One kubectl call as a line of the command: its output, then its exit code on a line of its own
 * (after a newline, as output need not end with one; `$?` is expanded before printf runs).
 */
export function callLine(args: readonly string[]): string {
  return `${['kubectl', ...args].map(shellQuote).join(' ')} 2>&1; printf '\\n${MARK}%s\\n' "$?"`;
}

const where = (ref: ObjectRef) => (ref.namespace ? ['-n', ref.namespace] : []);

/** Reads one object; prints nothing when it does not exist. */
export function getArgs(ref: ObjectRef): string[] {
  return ['get', RESOURCE[ref.kind], ref.name, ...where(ref), '-o', 'json', '--ignore-not-found'];
}

/** Server-side apply of the object in `file` with our field manager (`force`: take the fields over from other managers). */
export function applyArgs(file: string, force: boolean): string[] {
  return ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...(force ? ['--force-conflicts'] : []), '-f', file, '-o', 'json'];
}

export function createArgs(file: string): string[] {
  return ['create', `--field-manager=${FIELD_MANAGER}`, '-f', file, '-o', 'json'];
}

export type PatchType = 'json' | 'merge' | 'strategic';

export function patchArgs(ref: ObjectRef, type: PatchType, file: string): string[] {
  return ['patch', RESOURCE[ref.kind], ref.name, ...where(ref), `--type=${type}`, `--patch-file=${file}`, `--field-manager=${FIELD_MANAGER}`, '-o', 'json'];
}

/** What one kubectl call printed and how it exited. */
export interface CallResult {
  exitCode: number;
  output: string;
}

/** Splits a run command's logs into its calls' results, in order. */
export function splitCalls(logs: string): CallResult[] {
  const results: CallResult[] = [];
  let output: string[] = [];
  for (const line of logs.split('\n')) {
    if (line.startsWith(MARK) && /^\d+$/.test(line.slice(MARK.length).trim())) {
      results.push({ exitCode: Number(line.slice(MARK.length)), output: output.join('\n') });
      output = [];
    } else {
      output.push(line);
    }
  }
  return results;
}

/**
 * The object a call printed with `-o json` (kubectl prints `{` alone on the first line of it);
 * undefined for no output (`--ignore-not-found` of a missing object). Warnings before it are skipped.
 */
export function parseObject<T>(output: string): T | undefined {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l === '{');
  if (start < 0) {
    if (!output.trim() || lines.every((l) => !l.trim() || l.startsWith('Warning:'))) return undefined;
    throw new Error(`kubectl printed no object: ${output.trim().slice(0, 300)}`);
  }
  const end = lines.lastIndexOf('}');
  return JSON.parse(lines.slice(start, end + 1).join('\n')) as T;
}

/**
 * HTTP codes of the API server's StatusReasons (k8s.io/apimachinery pkg/apis/meta/v1/types.go),
 * which kubectl prints as `Error from server (<Reason>): <message>` (kubectl pkg/cmd/util/helpers.go
 * StandardErrorMessage).
 */
const REASON_CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** A failed kubectl call, shaped like client-node's ApiException (`code`, `body`), so kubeStatusCode reads it. */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly body: { code?: number; reason?: string; message: string },
  ) {
    super(message);
    this.name = 'KubectlError';
  }
}

/** The error a failed call stands for: the API server's reason and code when kubectl names them. */
export function callError(result: CallResult): KubectlError {
  const text = result.output.trim();
  const server = /Error from server \((\w+)\): (.*)/.exec(text);
  if (server) {
    const code = REASON_CODES[server[1]!];
    return new KubectlError(server[2]!, code, { code, reason: server[1], message: server[2]! });
  }
  // A 409 on `apply --server-side` loses its StatusError: kubectl wraps it in advice ending with
  // this link and prints it as `error: <API server message>\nPlease review the fields above…`
  // (kubectl pkg/cmd/apply/apply.go, errors.IsConflict).
  if (text.includes('server-side-apply/#conflicts')) {
    const message = text.split('\n')[0]!.replace(/^error: /, '');
    return new KubectlError(message, 409, { code: 409, reason: 'Conflict', message });
  }
  // kubectl says `error: You must be logged in to the server (Unauthorized)` for a 401.
  if (/\(Unauthorized\)/.test(text)) return new KubectlError(text, 401, { code: 401, reason: 'Unauthorized', message: text });
  const message = text.split('\n').filter((l) => l.trim()).pop() ?? `kubectl exited with ${result.exitCode}`;
  return new KubectlError(message, undefined, { message });
}
