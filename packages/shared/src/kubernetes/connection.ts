import { KubeConfig, type User } from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import { UserError, errorMessage } from '../errors';
import type { StepDeadline } from '../engine/deadline';
import type { Host } from '../hosts/host';
import type { AzureSession } from '../azure/credential';
import { fetchAksKubeconfig, readApiServerAccess } from './aks-credentials';
import { RUNNER_ADDRESS_VARIABLE, unreachableHint, type ApiServerAccess } from './unreachable';
import { ExecTokenSource, checkPluginAllowed, isKubelogin, kubeconfigSecrets } from './credential-plugins';
import { boundWatchRequests, boundedApiClient, routeClusterRequests, type ApiClientType } from './http';
import type { ClusterSettings } from './inputs';

/** The AKS AAD server application: the audience of tokens for AAD-enabled AKS clusters. */
export const AKS_AAD_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const AAD_AUTH_PROVIDER = 'private-wire-azure-ad';
const EXEC_AUTH_PROVIDER = 'private-wire-exec';

/** What connecting needs from the running step. */
export interface ConnectContext {
  host: Host;
  deadline: StepDeadline;
  dryRun: boolean;
  warn(message: string): void;
}

/** A cluster we can talk to, and how we got there (for messages). */
export interface ClusterConnection {
  kubeConfig: KubeConfig;
  /** Where the connection came from, e.g. `the kubeconfig input`, `AKS cluster rg/name (admin)`. */
  source: string;
  server: string;
  /** Who we are on the cluster, as far as we can tell, for 401/403 messages. */
  identity: string;
  /** An API client whose requests are bounded by the step's deadline and retried on 429/5xx. */
  api<T>(type: ApiClientType<T>): T;
  /** What to do when the API server cannot be reached (authorized IP ranges, private cluster; unreachable.ts). */
  unreachableHint(): string;
}

interface Loaded {
  kc: KubeConfig;
  /** For messages: `the kubeconfig input`, `KUBECONFIG (/path)`, … */
  source: string;
  /** Fetched from ARM for the AKS cluster named by the inputs. */
  fromAks?: boolean;
  /** That cluster's API server access, for messages when it cannot be reached. */
  access?: ApiServerAccess;
}

/**
 * Connects to the cluster. Explicit choices win over the ambient KUBECONFIG: the kubeconfig input,
 * the Azure Pipelines Kubernetes service connection, the AKS cluster named by the inputs, then
 * KUBECONFIG. `azure` is called only when an Azure sign-in is needed (cluster by name, AAD cluster).
 */
export async function connectToCluster(ctx: ConnectContext, settings: ClusterSettings, azure: () => Promise<AzureSession>): Promise<ClusterConnection> {
  const loaded = await chooseKubeconfig(ctx.host, settings, azure);
  if (settings.publicFqdn && !loaded.fromAks) {
    const n = (name: string) => ctx.host.inputName(name);
    throw new UserError(
      `Input '${n('public-fqdn')}' is true, but the cluster connection comes from ${loaded.source}, not from AKS credentials fetched with '${n('cluster-name')}'.`,
      `'${n('public-fqdn')}' only changes the kubeconfig AKS returns: remove it, or give '${n('cluster-resource-group')}' and '${n('cluster-name')}' instead.`,
    );
  }
  return finish(ctx, settings, loaded, azure);
}

async function chooseKubeconfig(host: Host, settings: ClusterSettings, azure: () => Promise<AzureSession>): Promise<Loaded> {
  if (settings.kubeconfig) {
    return { kc: loadKubeconfig(host, settings.kubeconfig, `input '${host.inputName('kubeconfig')}'`), source: 'the kubeconfig input' };
  }
  const connection = host.getServiceConnection('kubernetes-service-connection');
  if (connection) {
    const type = connection.data('authorizationType') ?? 'Kubeconfig';
    const named = `Kubernetes service connection ${connection.id} (${type})`;
    if (type === 'Kubeconfig') {
      const text = connection.parameters.kubeconfig;
      if (!text) throw new UserError(`The ${named} has no kubeconfig.`, 'Edit the service connection and paste the kubeconfig.');
      const kc = loadKubeconfig(host, text, `the ${named}`);
      const context = connection.parameters.clusterContext;
      if (context) kc.setCurrentContext(context);
      return { kc, source: named };
    }
    return { kc: serviceAccountKubeconfig(host, connection.url, connection.parameters, named), source: named };
  }
  if (settings.clusterName || settings.clusterResourceGroup) {
    if (!settings.clusterName || !settings.clusterResourceGroup) {
      const missing = settings.clusterName ? 'cluster-resource-group' : 'cluster-name';
      throw new UserError(`Input '${host.inputName(missing)}' is not given.`, `Fetching AKS credentials needs both '${host.inputName('cluster-resource-group')}' and '${host.inputName('cluster-name')}'.`);
    }
    const session = await azure();
    const text = await fetchAksKubeconfig(session, settings.clusterResourceGroup, settings.clusterName, settings.admin, (n) => host.inputName(n), settings.publicFqdn);
    const what = `AKS cluster ${settings.clusterResourceGroup}/${settings.clusterName} (${settings.admin ? 'admin' : 'user'} credentials${settings.publicFqdn ? ', public FQDN' : ''})`;
    const access = await readApiServerAccess(session, { resourceGroup: settings.clusterResourceGroup, name: settings.clusterName, inputName: (n) => host.inputName(n) }, (m) => host.debug(m));
    return { kc: loadKubeconfig(host, text, what), source: what, fromAks: true, access };
  }
  const kubeconfigPath = host.env.KUBECONFIG?.split(':').find((p) => p);
  if (kubeconfigPath) {
    let text: string;
    try {
      text = readFileSync(kubeconfigPath, 'utf8');
    } catch (error) {
      throw new UserError(`KUBECONFIG is '${kubeconfigPath}', which cannot be read: ${errorMessage(error)}.`, `Run azure/aks-set-context first, or give the '${host.inputName('kubeconfig')}' input.`);
    }
    return { kc: loadKubeconfig(host, text, `the KUBECONFIG file ${kubeconfigPath}`), source: `KUBECONFIG (${kubeconfigPath})` };
  }
  throw new UserError(
    'No cluster connection is given.',
    `Give '${host.inputName('kubeconfig')}', set KUBECONFIG (azure/aks-set-context), choose a Kubernetes service connection, or give '${host.inputName('cluster-resource-group')}' and '${host.inputName('cluster-name')}'.`,
  );
}

/** A single line that names a file rather than holding YAML. */
function looksLikePath(text: string): boolean {
  const t = text.trim();
  if (/[\r\n]/.test(t) || /^\s*(apiVersion|kind|clusters)\s*:/m.test(t) || t.startsWith('{')) return false;
  return /^(~|\.{1,2})?[\\/]/.test(t) || /^[A-Za-z]:[\\/]/.test(t) || /\.(ya?ml|conf|config|kubeconfig)$/i.test(t) || existsSync(t);
}

/**
 * Parses kubeconfig text and masks the credentials inside it (tokens, passwords, keys, plugin env)
 * before anything is logged; cluster, user and context names stay readable for messages. Tokens are
 * trimmed as client-go trims token files: a trailing newline would make an invalid header.
 */
function loadKubeconfig(host: Host, text: string, where: string): KubeConfig {
  if (looksLikePath(text)) {
    throw new UserError(
      `The kubeconfig from ${where} is a file path, not the kubeconfig's content.`,
      'Give the file\'s content (e.g. from a secret), or set KUBECONFIG to the path in the step\'s environment.',
    );
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (error) {
    throw new UserError(`The kubeconfig from ${where} cannot be parsed: ${errorMessage(error).split('\n')[0]}.`, 'Give the whole kubeconfig file content.');
  }
  for (const secret of kubeconfigSecrets(kc)) host.setSecret(secret);
  for (const user of kc.users) if (user.token) (user as { token?: string }).token = user.token.trim();
  if (!kc.getCurrentCluster()) {
    throw new UserError(`The kubeconfig from ${where} has no current context with a cluster.`, 'Set current-context, or give a kubeconfig with one cluster.');
  }
  return kc;
}

function serviceAccountKubeconfig(host: Host, url: string | undefined, parameters: Record<string, string>, named: string): KubeConfig {
  const token = parameters.apiToken ?? parameters.apitoken;
  const ca = parameters.serviceAccountCertificate ?? parameters.serviceaccountcertificate;
  if (!url || !token) throw new UserError(`The ${named} has no server URL or token.`, 'Edit the service connection.');
  const decodedToken = Buffer.from(token, 'base64').toString('utf8').trim();
  host.setSecret(decodedToken);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'cluster', server: url, caData: ca ? caData(ca) : undefined, skipTLSVerify: false }],
    users: [{ name: 'service-account', token: decodedToken }],
    contexts: [{ name: 'service-connection', cluster: 'cluster', user: 'service-account' }],
    currentContext: 'service-connection',
  });
  return kc;
}

/** Service connections store the CA either as PEM or as base64 of PEM; kubeconfig wants base64 of PEM. */
function caData(value: string): string {
  return value.includes('-----BEGIN') ? Buffer.from(value).toString('base64') : value;
}

/** Replaces the user's own authentication with one we run (client-node checks its built-in ones first). */
function authenticateWith(kc: KubeConfig, user: User, provider: string, token: () => Promise<string>): void {
  const name = `${provider}:${user.name}`;
  kc.addAuthenticator({
    isAuthProvider: (u: User) => u.authProvider?.name === name,
    applyAuthentication: async (_u: User, opts: { headers?: Record<string, string> }) => {
      opts.headers = { ...opts.headers, Authorization: `Bearer ${await token()}` };
    },
  });
  kc.users = kc.users.map((u) => (u.name === user.name ? ({ name: u.name, authProvider: { name, config: {} } } as User) : u));
}

/**
 * AKS AAD clusters hand out kubeconfigs that call kubelogin. Instead of requiring it on the
 * runner, tokens for the AKS AAD server app are minted with the step's Azure credential; the
 * credential caches them and renews them before they expire, as kubelogin would.
 */
async function useAzureAdTokens(kc: KubeConfig, user: User, azure: () => Promise<AzureSession>): Promise<string> {
  const session = await azure();
  const args = user.exec?.args ?? [];
  const i = args.indexOf('--server-id');
  const scope = `${(i >= 0 && args[i + 1]) || AKS_AAD_SERVER_APP_ID}/.default`;
  authenticateWith(kc, user, AAD_AUTH_PROVIDER, async () => {
    const token = await session.credential.getToken(scope, { abortSignal: session.deadline.signal });
    if (!token) throw new Error(`no Azure AD token for ${scope}`);
    return token.token;
  });
  return `${session.method} (Azure AD token for the AKS server app)`;
}

/** Warnings about a cluster entry that sends credentials where they could be read. */
function transportWarnings(ctx: ConnectContext, kc: KubeConfig, source: string): void {
  const cluster = kc.getCurrentCluster()!;
  if (cluster.server.startsWith('http://')) {
    ctx.warn(`The cluster server from ${source} is plain http (${cluster.server}): credentials and data cross the network unencrypted. Use the https endpoint.`);
  }
  if (cluster.skipTLSVerify) {
    ctx.warn(`The kubeconfig from ${source} sets insecure-skip-tls-verify: the API server's certificate is not checked, so anyone in the path could read the credentials. Give its CA (certificate-authority-data) instead.`);
  }
}

async function finish(ctx: ConnectContext, settings: ClusterSettings, { kc, source, access }: Loaded, azure: () => Promise<AzureSession>): Promise<ClusterConnection> {
  const { host } = ctx;
  const user = kc.getCurrentUser();
  let identity = user?.name ?? 'unknown user';
  if (user && isKubelogin(user)) {
    identity = await useAzureAdTokens(kc, user, azure);
  } else {
    const use = checkPluginAllowed(user, source, { allowed: settings.allowCredentialPlugin, dryRun: ctx.dryRun, inputName: host.inputName('allow-credential-plugin') });
    if (use) host.info(`User '${user!.name}' signs in with ${use.kind === 'exec' ? 'the credential plugin' : 'the auth-provider command'} '${use.commandLine}' (allowed by '${host.inputName('allow-credential-plugin')}').`);
    if (use?.kind === 'exec') {
      const tokens = new ExecTokenSource(user!, (secret) => host.setSecret(secret), ctx.deadline);
      authenticateWith(kc, user!, EXEC_AUTH_PROVIDER, () => tokens.token());
    }
  }
  transportWarnings(ctx, kc, source);
  routeClusterRequests(kc, (secret) => host.setSecret(secret));
  boundWatchRequests(kc, ctx.deadline);
  const server = kc.getCurrentCluster()!.server;
  host.info(`Connected to the cluster at ${server} through ${source}.`);
  const runnerAddress = host.env[RUNNER_ADDRESS_VARIABLE] || undefined;
  return {
    kubeConfig: kc,
    source,
    server,
    identity,
    api: (type) => boundedApiClient(kc, ctx.deadline, type),
    unreachableHint: () => unreachableHint({ server, access, runnerAddress, inputName: (n) => host.inputName(n) }),
  };
}
