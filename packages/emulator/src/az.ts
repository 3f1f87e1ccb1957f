import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Emulator } from './index';

export const AZ_CLOUD = 'PrivateWireEmulator';

/** Whether the Azure CLI is on PATH. */
export function azInstalled(): boolean {
  return spawnSync('az', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * An isolated azure-cli profile (own AZURE_CONFIG_DIR) registered against the stand-in as a
 * custom cloud. TLS trust goes through REQUESTS_CA_BUNDLE. MSAL for Python sends instance
 * discovery to login.microsoftonline.com for any authority it does not know; HTTPS_PROXY points
 * at the emulator's CONNECT proxy, which answers for that host (and nothing else), while
 * NO_PROXY keeps the stand-in's own endpoints direct.
 */
export function azEnv(e: Emulator, configDir = mkdtempSync(path.join(tmpdir(), 'pw-az-'))): Record<string, string> {
  return {
    AZURE_CONFIG_DIR: configDir,
    REQUESTS_CA_BUNDLE: e.tls.caFile,
    HTTPS_PROXY: e.urls.azProxy,
    https_proxy: e.urls.azProxy,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    AZURE_CORE_COLLECT_TELEMETRY: 'false',
    AZURE_CORE_SURVEY_MESSAGE: 'false',
    AZURE_CORE_NO_COLOR: 'true',
    AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
  };
}

export function runAz(env: Record<string, string>, args: string[]): SpawnSyncReturns<string> {
  return spawnSync('az', args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
}

/** Registers the custom cloud, selects it and logs a service principal in (client secret). */
export function azLogin(e: Emulator, env: Record<string, string>, sp: { clientId: string; secret: string }): void {
  const steps: string[][] = [
    ['cloud', 'register', '--name', AZ_CLOUD, '--endpoint-resource-manager', `${e.urls.arm}/`, '--endpoint-active-directory', e.urls.authorityHost, '--endpoint-active-directory-resource-id', `${e.urls.arm}/`, '--endpoint-active-directory-graph-resource-id', 'https://graph.windows.net/', '--endpoint-management', `${e.urls.arm}/`],
    ['cloud', 'set', '--name', AZ_CLOUD],
    ['login', '--service-principal', '--username', sp.clientId, '--password', sp.secret, '--tenant', e.tenantId, '--output', 'none'],
  ];
  for (const args of steps) {
    const r = runAz(env, args);
    if (r.status !== 0) throw new Error(`az ${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr}`);
  }
}
