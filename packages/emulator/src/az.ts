import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Emulator } from './index';

export const AZ_CLOUD = 'PrivateWireEmulator';

/**
 * The `az` executable on PATH, found without running it: `az version` / `az --version` fetch the
 * latest release from GitHub, which must not happen here.
 */
export function azPath(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'az');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Whether the Azure CLI is on PATH. */
export function azInstalled(): boolean {
  return azPath() !== undefined;
}

/**
 * Debian bookworm's azure-cli 2.45 pins azure-mgmt-network API 2022-01-01 in its `latest`
 * profile, but python3-azure (azure-mgmt-network 23.0.0b1) ships 2022-07-01 and not 2022-01-01,
 * so every `az network ...` command dies while loading arguments ("'NoneType' object has no
 * attribute 'standard_medium'") even against real Azure. This import hook, appended to
 * `sys.meta_path` (consulted only when the real module is missing), resolves the missing API
 * package to 2022-07-01. It only feeds az's model lookups for argument loading; the commands
 * driven here send their own api-versions (aaz commands 2022-01-01, private endpoint connections
 * 2021-05-01). On an installation that has the module, it is never used.
 */
const SITECUSTOMIZE = `# Written by @private-wire/emulator (src/az.ts): works around Debian's azure-cli 2.45 packaging gap.
import importlib, importlib.abc, importlib.util, sys

_MISSING = 'azure.mgmt.network.v2022_01_01'
_PRESENT = 'azure.mgmt.network.v2022_07_01'


class _NetworkApiAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name == _MISSING or name.startswith(_MISSING + '.'):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(_PRESENT + spec.name[len(_MISSING):])

    def exec_module(self, module):
        pass


sys.meta_path.append(_NetworkApiAlias())

# Keep what Debian's own sitecustomize (shadowed by this file) does.
try:
    import apport_python_hook
except ImportError:
    pass
else:
    apport_python_hook.install()
`;

/**
 * An isolated azure-cli environment (own AZURE_CONFIG_DIR) for the stand-in.
 *
 * - Entra ID: the custom cloud keeps the real authority `https://login.microsoftonline.com`
 *   (see azLogin), and HTTPS_PROXY points at the emulator's CONNECT proxy, which tunnels that one
 *   host to the stand-in (its certificate covers the name). MSAL's requests session honours the
 *   proxy variables (trust_env); with a well-known authority it does no instance discovery.
 * - ARM: the stand-in's loopback URL, reached directly (NO_PROXY).
 * - Nothing else leaves the machine: HTTP(S)_PROXY send every other host az might contact
 *   (update checks, error recommendations, extension index) to the proxy, which refuses it, and
 *   REQUESTS_CA_BUNDLE trusts only the stand-in's CA. Telemetry and recommendations are off too.
 */
export function azEnv(e: Emulator, configDir = mkdtempSync(path.join(tmpdir(), 'pw-az-'))): Record<string, string> {
  if (!e.urls.azProxy) throw new Error('azEnv needs the emulator started with its az proxy (azProxy option not false)');
  const pythonDir = path.join(configDir, 'python');
  mkdirSync(pythonDir, { recursive: true });
  writeFileSync(path.join(pythonDir, 'sitecustomize.py'), SITECUSTOMIZE);
  const noProxy = '127.0.0.1,localhost,::1';
  return {
    AZURE_CONFIG_DIR: configDir,
    REQUESTS_CA_BUNDLE: e.tls.caFile,
    HTTPS_PROXY: e.urls.azProxy,
    https_proxy: e.urls.azProxy,
    HTTP_PROXY: e.urls.azProxy,
    http_proxy: e.urls.azProxy,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    PYTHONPATH: pythonDir,
    AZURE_CORE_COLLECT_TELEMETRY: 'false',
    AZURE_CORE_ERROR_RECOMMENDATION: 'off',
    AZURE_CORE_SURVEY_MESSAGE: 'false',
    AZURE_CORE_NO_COLOR: 'true',
    AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
    AZURE_CORE_DISABLE_CONFIRM_PROMPT: 'true',
    AZURE_EXTENSION_USE_DYNAMIC_INSTALL: 'no',
  };
}

export interface AzResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs az asynchronously (the stand-in usually serves from the calling process, so a
 * synchronous spawn would deadlock). Inherited AZURE_* and proxy variables are dropped so that
 * the caller's own Azure login or proxy cannot leak in.
 */
export function runAz(env: Record<string, string>, args: string[], timeoutMs = 60_000): Promise<AzResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AZURE_|ARM_|MSI_|IDENTITY_)|^(https?|no|all)_proxy$|^PYTHONPATH$/i.test(k)),
  );
  return new Promise((resolve) => {
    execFile(azPath() ?? 'az', args, { env: { ...inherited, ...env }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs az and parses its JSON output; throws with stderr when it fails. */
export async function azJson<T = unknown>(env: Record<string, string>, args: string[]): Promise<T> {
  const r = await runAz(env, [...args, '--output', 'json']);
  if (r.code !== 0) throw new Error(`az ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Registers a custom cloud whose resource manager is the stand-in and selects it. Everything but
 * the resource manager keeps the public cloud's values, so az asks for the same token (audience
 * https://management.core.windows.net/) from the same authority as in real CI.
 */
export async function azUseStandIn(e: Emulator, env: Record<string, string>): Promise<void> {
  const steps: string[][] = [
    ['cloud', 'register', '--name', AZ_CLOUD,
      '--endpoint-resource-manager', `${e.urls.arm}/`,
      '--endpoint-active-directory', 'https://login.microsoftonline.com',
      '--endpoint-active-directory-resource-id', 'https://management.core.windows.net/',
      '--endpoint-active-directory-graph-resource-id', 'https://graph.windows.net/',
      '--endpoint-management', 'https://management.core.windows.net/',
      '--output', 'none'],
    ['cloud', 'set', '--name', AZ_CLOUD, '--output', 'none'],
  ];
  for (const args of steps) {
    const r = await runAz(env, args);
    if (r.code !== 0) throw new Error(`az ${args.slice(0, 2).join(' ')} failed (${r.code}): ${r.stderr}`);
  }
}

/** `az login --service-principal` arguments for a client secret or a federated (OIDC) token. */
export function azLoginArgs(tenantId: string, sp: { clientId: string; secret?: string; federatedToken?: string }): string[] {
  const credential = sp.federatedToken !== undefined ? ['--federated-token', sp.federatedToken] : sp.secret !== undefined ? [`--password=${sp.secret}`] : undefined;
  if (!credential) throw new Error('az login needs a secret or a federated token');
  return ['login', '--service-principal', '--username', sp.clientId, ...credential, '--tenant', tenantId];
}

/**
 * Points az at the stand-in (azUseStandIn) and logs a service principal in, as azure/login or
 * the AzureCLI task would. Returns the subscriptions `az login` found.
 */
export async function azLogin(
  e: Emulator,
  env: Record<string, string>,
  sp: { clientId: string; secret?: string; federatedToken?: string },
): Promise<{ id: string; tenantId: string; isDefault: boolean }[]> {
  await azUseStandIn(e, env);
  return azJson(env, azLoginArgs(e.tenantId, sp));
}
