// The demo's world: a seeded stand-in (web app, VNet, AKS with a backend) and the inputs of the
// composed flow for it. Used by `pnpm demo` and `pnpm bench`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Emulator } from '../../packages/emulator/src/index';
import { seedApp } from '../../packages/emulator/src/kube/seed';
import { loadComposite, runComposite, type CompositeAction, type StepOutcome } from './composite';
import { runGitHubAction, type GitHubRun } from './runners';

const root = path.resolve(__dirname, '..', '..');

export const REPOSITORY = 'contoso/frontend';
export const CONSUMER_SUBSCRIPTION = '5f0c0a8e-1d2b-4c3d-9e4f-a1b2c3d4e5f6';
export const STRANGER_SUBSCRIPTION = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const ZONE = 'internal.contoso';
/** CoreDNS's internal load balancer IP, pinned so the preflight checks the path to it before it exists. */
export const DNS_IP = '10.224.0.53';
export const APP_SETTINGS: Record<string, string> = {
  ASPNETCORE_ENVIRONMENT: 'Production',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
  FEATURE_FLAGS: 'checkout=on;search=beta',
  BACKEND_URL: `http://backend.default.${ZONE}`,
  CACHE_TTL_SECONDS: '300',
  LOG_LEVEL: 'Information',
  WEBSITE_RUN_FROM_PACKAGE: '1',
  WEBSITE_TIME_ZONE: 'W. Europe Standard Time',
  KEYVAULT_URI: 'https://kv-frontend.vault.azure.net/',
  SESSION_COOKIE_NAME: '.contoso.session',
  MAX_UPLOAD_MB: '25',
  CORS_ORIGINS: 'https://www.contoso.com,https://admin.contoso.com',
};


export interface DemoWorld {
  rg: string;
  clientId: string;
}

export async function seedDemoWorld(e: Emulator): Promise<DemoWorld> {
  const rg = 'rg-demo';
  e.seed.resourceGroup(rg, 'westeurope');
  const { subnets } = e.seed.vnet(rg, 'vnet-aks', {
    addressPrefixes: ['10.224.0.0/12'],
    subnets: [{ name: 'aks-nodes', addressPrefix: '10.224.0.0/16', privateLinkServiceNetworkPolicies: 'Disabled' }],
  });
  // A Windows plan: check-private-path's verify proves the path from inside the app only there
  // (nameresolver and tcpping run in Windows apps' SCM sites; on Linux it can only say so).
  const plan = e.seed.plan(rg, 'plan-frontend', { sku: 'P1v3', tier: 'PremiumV3', linux: false });
  e.seed.site(rg, 'app-frontend', plan.id, { appSettings: APP_SETTINGS, properties: { reserved: false }, siteConfig: { linuxFxVersion: '', netFrameworkVersion: 'v8.0' } });
  const cluster = e.seed.cluster(rg, 'aks-demo');
  // The cluster's nodes live in the VNet's node subnet, where internal load balancers get their IPs.
  const props = cluster.properties as { agentPoolProfiles: Record<string, unknown>[] };
  e.store.put({ ...cluster, properties: { ...props, agentPoolProfiles: props.agentPoolProfiles.map((p) => ({ ...p, vnetSubnetID: subnets[0]!.id })) } });
  seedApp(e.kube!.api, { name: 'backend', namespace: 'default', port: 80, targetPort: 8080 });
  const app = e.registerApp({ federated: [{ issuer: e.urls.githubIssuer, subject: `repo:${REPOSITORY}:ref:refs/heads/main` }] });
  return { rg, clientId: app.clientId };
}


/** Inputs of the composite action for the demo world, signing in with GitHub OIDC. */
export function flowInputs(e: Emulator, world: DemoWorld): Record<string, string> {
  return {
    'client-id': world.clientId,
    'tenant-id': e.tenantId,
    'subscription-id': e.subscriptionId,
    environment: 'Custom',
    'resource-manager-endpoint': e.urls.arm,
    'authority-host': e.urls.authorityHost,
    webapp: 'app-frontend',
    'resource-group': world.rg,
    vnet: 'vnet-aks',
    subnet: 'snet-webapp-integration',
    'subnet-prefix': '10.225.0.0/26',
    'route-all': 'true',
    'cluster-resource-group': world.rg,
    'cluster-name': 'aks-demo',
    service: 'backend',
    'private-link': 'true',
    'pls-visibility': '*',
    zone: ZONE,
    'dns-ip': DNS_IP,
    'allowed-subscriptions': CONSUMER_SUBSCRIPTION,
  };
}

/**
 * What each step run needs from the runner's environment: CA trust, a GitHub ID token, IMDS kept on
 * loopback, and a proxy for the names only the stand-in knows (the web app's SCM host, which
 * verify calls), as a corporate proxy would; the stand-in's loopback endpoints stay direct.
 */
export function runnerEnv(e: Emulator): Record<string, string> {
  const proxy: Record<string, string> = e.urls.azProxy ? { HTTPS_PROXY: e.urls.azProxy, NO_PROXY: '127.0.0.1,localhost' } : {};
  return { NODE_EXTRA_CA_CERTS: e.tls.caFile, AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9', ...proxy, ...e.github.createRequest({ repository: REPOSITORY }).env };
}

export const connectAction = (): CompositeAction => loadComposite(path.join(root, 'actions', 'connect-webapp-to-aks', 'action.yml'));

/** Whether a step's generated action.yml has a `post:` (the runner then runs it at the end of the job). */
const hasPost = (step: string) => !!parse(readFileSync(path.join(root, 'actions', step, 'action.yml'), 'utf8'))?.runs?.post;

export interface FlowOptions {
  node?: string;
  /** Inputs of the composite in place of (or beside) the demo world's. */
  inputs?: Record<string, string>;
  onStart?: (step: string, id: string) => void;
  onStep?: (step: string, run: GitHubRun, ms: number) => void;
  afterStep?: (outcome: StepOutcome) => Promise<void>;
  /** Where the actions' bundles are (a checkout holding actions/<step>/dist); default this repository. */
  bundleRoot?: string;
  /** Variables every step process gets beside the runner's (e.g. NODE_OPTIONS for a probe). */
  env?: Record<string, string>;
}

/**
 * Runs the composed flow through the GitHub bundles as the runner does: the variables a step
 * exports (GITHUB_ENV) reach the later steps, and post steps run at the end, also after a failure;
 * `onStep` sees every run (post runs as `<step> (post)`).
 */
export async function runConnectFlow(e: Emulator, world: DemoWorld, options: FlowOptions = {}) {
  const env = { ...runnerEnv(e), ...options.env };
  const bundle = (step: string) => path.join(options.bundleRoot ?? root, 'actions', step, 'dist', 'index.js');
  const result = await runComposite(
    connectAction(),
    { ...flowInputs(e, world), ...options.inputs },
    async (step, id, inputs) => {
      const t = Date.now();
      options.onStart?.(step, id);
      const run = await runGitHubAction(bundle(step), inputs, { env, node: options.node });
      Object.assign(env, run.exported);
      options.onStep?.(step, run, Date.now() - t);
      return { succeeded: run.exitCode === 0, outputs: run.outputs, state: hasPost(step) ? run.state : undefined };
    },
    options.afterStep,
  );
  let postsSucceeded = true;
  for (const post of result.posts) {
    const t = Date.now();
    options.onStart?.(`${post.step} (post)`, post.id);
    const run = await runGitHubAction(bundle(post.step), post.inputs, { env, node: options.node, state: post.state });
    postsSucceeded &&= run.exitCode === 0;
    options.onStep?.(`${post.step} (post)`, run, Date.now() - t);
  }
  return { ...result, postsSucceeded };
}
