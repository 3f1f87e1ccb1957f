// Programs a kubeconfig can make us run: `users[].user.exec` credential plugins and the legacy
// `auth-provider` `cmd-path`. A kubeconfig is input (often pasted from elsewhere), so none runs
// unless the user allowed it, none runs in a dry run, and when one runs the log says which.
import { execFile } from 'node:child_process';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { UserError } from '../errors';
import { redactCredentials } from '../hosts/safe-output';
import type { StepDeadline } from '../engine/deadline';

/** What asks us to run a program, for messages and the log. */
export interface PluginUse {
  kind: 'exec' | 'auth-provider';
  /** The program and its arguments as the log may show them (secret-looking values hidden). */
  commandLine: string;
}

/** kubelogin is never run: its tokens are minted with the step's Azure sign-in instead. */
export function isKubelogin(user: User | null | undefined): boolean {
  return !!user?.exec && /(^|[\\/])kubelogin(\.exe)?$/i.test(user.exec.command ?? '');
}

const SECRET_FLAG = /secret|token|password|passwd|key|credential/i;

/** The command line with the values of secret-looking flags replaced by `***`. */
export function displayCommand(command: string, args: readonly string[] = []): string {
  const shown: string[] = [command];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = /^(--?[\w-]+)=(.*)$/.exec(arg);
    if (inline) {
      shown.push(SECRET_FLAG.test(inline[1]!) ? `${inline[1]}=***` : arg);
    } else if (/^--?[\w-]+$/.test(arg) && SECRET_FLAG.test(arg) && i + 1 < args.length && !args[i + 1]!.startsWith('-')) {
      shown.push(arg, '***');
      i++;
    } else {
      shown.push(arg);
    }
  }
  return shown.join(' ');
}

/** The program a user's credentials would run, if any (kubelogin excluded: it is replaced). */
export function pluginOf(user: User | null | undefined): PluginUse | undefined {
  if (!user) return undefined;
  if (user.exec && !isKubelogin(user)) return { kind: 'exec', commandLine: displayCommand(user.exec.command ?? '', user.exec.args ?? []) };
  const cmdPath = user.authProvider?.config?.['cmd-path'];
  if (cmdPath) return { kind: 'auth-provider', commandLine: displayCommand(cmdPath, String(user.authProvider?.config?.['cmd-args'] ?? '').split(' ').filter(Boolean)) };
  return undefined;
}

/**
 * Refuses a credential program unless allowed (and always in a dry run), so a kubeconfig can never
 * run something silently. Returns the use to log when it is allowed.
 */
export function checkPluginAllowed(
  user: User | null,
  where: string,
  options: { allowed: boolean; dryRun: boolean; inputName: string },
): PluginUse | undefined {
  const use = pluginOf(user);
  if (!use) return undefined;
  const what = use.kind === 'exec' ? 'an exec credential plugin' : 'a legacy auth-provider command (cmd-path)';
  if (!options.allowed) {
    throw new UserError(
      `The kubeconfig from ${where} makes user '${user!.name}' run ${what}: '${use.commandLine}'. A kubeconfig does not run programs here unless you allow it.`,
      `Set '${options.inputName}' to true if you trust this kubeconfig and the program is on the runner, or give a kubeconfig with a token or client certificate.`,
    );
  }
  if (options.dryRun) {
    throw new UserError(
      `The kubeconfig from ${where} makes user '${user!.name}' run ${what} ('${use.commandLine}'), and a dry run never runs programs.`,
      'Run without dry-run, or give a kubeconfig with a token or client certificate for the dry run.',
    );
  }
  return use;
}

/** The ExecCredential a plugin prints (client.authentication.k8s.io v1 / v1beta1). */
interface ExecCredential {
  status?: { token?: string; expirationTimestamp?: string; clientCertificateData?: string; clientKeyData?: string };
}

/**
 * Runs an allowed exec plugin the way kubectl does (args, env, KUBERNETES_EXEC_INFO), bounded by
 * the deadline; caches the token until shortly before it expires. The token is masked as soon as
 * it is read; the plugin's stderr is never shown raw (only its first line, redacted).
 */
export class ExecTokenSource {
  private cached?: { token: string; expiresAt?: number };

  constructor(
    private readonly user: User,
    private readonly mask: (secret: string) => void,
    private readonly deadline: StepDeadline,
  ) {}

  async token(): Promise<string> {
    if (this.cached && (this.cached.expiresAt === undefined || this.cached.expiresAt - Date.now() > 60_000)) return this.cached.token;
    const exec = this.user.exec!;
    const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value])) };
    for (const e of exec.env ?? []) if (e.value) this.mask(e.value);
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(exec.command, exec.args ?? [], { env, timeout: this.deadline.requestTimeoutMs(), maxBuffer: 1 << 20 }, (error, out, err) => {
        if (!error) return resolve(out);
        const firstLine = redactCredentials(String(err ?? '').split('\n').find((l) => l.trim()) ?? '').slice(0, 200);
        const how = error.killed ? 'did not finish in time' : `failed (${(error as { code?: unknown }).code ?? error.message})`;
        reject(
          new UserError(
            `The credential plugin '${displayCommand(exec.command, exec.args ?? [])}' of user '${this.user.name}' ${how}${firstLine ? `: ${firstLine}` : ''}.`,
            'Check that the program is installed on the runner and can sign in non-interactively.',
          ),
        );
      });
    });
    let credential: ExecCredential;
    try {
      credential = JSON.parse(stdout) as ExecCredential;
    } catch {
      throw new UserError(`The credential plugin of user '${this.user.name}' did not print an ExecCredential (JSON).`, 'Check the plugin and its arguments.');
    }
    const token = credential.status?.token?.trim();
    if (!token) {
      throw new UserError(
        `The credential plugin of user '${this.user.name}' returned no token${credential.status?.clientCertificateData ? ' (client certificates from plugins are not supported)' : ''}.`,
        'Use a plugin that returns a bearer token, or a kubeconfig with a client certificate.',
      );
    }
    this.mask(token);
    const expiresAt = credential.status?.expirationTimestamp ? Date.parse(credential.status.expirationTimestamp) : undefined;
    this.cached = { token, expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined };
    return token;
  }
}

/** Every credential value inside a parsed kubeconfig: the only parts of it that are masked. */
export function kubeconfigSecrets(kc: KubeConfig): string[] {
  const values: (string | undefined)[] = [];
  for (const user of kc.getUsers()) {
    values.push(user.token, user.token?.trim(), user.password, user.keyData);
    const config = (user.authProvider?.config ?? {}) as Record<string, string | undefined>;
    for (const key of ['access-token', 'refresh-token', 'id-token', 'client-secret']) values.push(config[key]);
    for (const e of user.exec?.env ?? []) values.push((e as { value?: string }).value);
  }
  return values.filter((v): v is string => !!v && v.length >= 4);
}
