import { KubeConfig, type User } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { UserError, errorMessage } from '../errors';
import type { Host } from '../hosts/host';
import type { AzureSession } from '../azure/credential';
import { fetchAksKubeconfig } from './aks-credentials';
import type { ClusterSettings } from './inputs';

/** The AKS AAD server application: the audience of tokens for AAD-enabled AKS clusters. */
export const AKS_AAD_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const AAD_AUTH_PROVIDER = 'private-wire-azure-ad';

/** A cluster we can talk to, and how we got there (for messages). */
export interface ClusterConnection {
  kubeConfig: KubeConfig;
  /** Where the connection came from, e.g. `the kubeconfig input`, `AKS cluster rg/name (admin)`. */
  source: string;
  server: string;
  /** Who we are on the cluster, as far as we can tell, for 401/403 messages. */
  identity: string;
}

/**
 * Connects to the cluster in the documented order: the kubeconfig input, the KUBECONFIG file,
 * the Azure Pipelines Kubernetes service connection, then AKS credentials fetched from ARM.
 * `azure` is called only when an Azure sign-in is needed (cluster by name, or an AAD cluster).
 */
export async function connectToCluster(
  host: Host,
  settings: ClusterSettings,
  azure: () => Promise<AzureSession>,
): Promise<ClusterConnection> {
  if (settings.kubeconfig) {
    return finish(host, loadKubeconfig(host, settings.kubeconfig, `input '${host.inputName('kubeconfig')}'`), 'the kubeconfig input', azure);
  }
  const kubeconfigPath = host.env.KUBECONFIG?.split(':').find((p) => p);
  if (kubeconfigPath && !settings.clusterName) {
    let text: string;
    try {
      text = readFileSync(kubeconfigPath, 'utf8');
    } catch (error) {
      throw new UserError(`KUBECONFIG is '${kubeconfigPath}', which cannot be read: ${errorMessage(error)}.`, 'Run azure/aks-set-context first, or give the kubeconfig input.');
    }
    return finish(host, loadKubeconfig(host, text, `the KUBECONFIG file ${kubeconfigPath}`), `KUBECONFIG (${kubeconfigPath})`, azure);
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
      return finish(host, kc, named, azure);
    }
    return finish(host, serviceAccountKubeconfig(host, connection.url, connection.parameters, named), named, azure);
  }
  if (settings.clusterName || settings.clusterResourceGroup) {
    if (!settings.clusterName || !settings.clusterResourceGroup) {
      const missing = settings.clusterName ? 'cluster-resource-group' : 'cluster-name';
      throw new UserError(`Input '${host.inputName(missing)}' is not given.`, 'Fetching AKS credentials needs both cluster-resource-group and cluster-name.');
    }
    const session = await azure();
    const text = await fetchAksKubeconfig(session, settings.clusterResourceGroup, settings.clusterName, settings.admin);
    const what = `AKS cluster ${settings.clusterResourceGroup}/${settings.clusterName} (${settings.admin ? 'admin' : 'user'} credentials)`;
    return finish(host, loadKubeconfig(host, text, what), what, azure);
  }
  throw new UserError(
    'No cluster connection is given.',
    `Give '${host.inputName('kubeconfig')}', set KUBECONFIG (azure/aks-set-context), choose a Kubernetes service connection, or give '${host.inputName('cluster-resource-group')}' and '${host.inputName('cluster-name')}'.`,
  );
}

/** Parses kubeconfig text and masks it and every credential inside it before anything is logged. */
export function loadKubeconfig(host: Host, text: string, where: string): KubeConfig {
  host.setSecret(text);
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (error) {
    throw new UserError(`The kubeconfig from ${where} cannot be parsed: ${errorMessage(error).split('\n')[0]}.`, 'Give the whole kubeconfig file content.');
  }
  for (const user of kc.getUsers()) {
    for (const secret of [user.token, user.password, user.keyData, user.authProvider?.config?.['access-token'], user.authProvider?.config?.['refresh-token']]) {
      if (secret) host.setSecret(secret);
    }
  }
  if (!kc.getCurrentCluster()) {
    throw new UserError(`The kubeconfig from ${where} has no current context with a cluster.`, 'Set current-context, or give a kubeconfig with one cluster.');
  }
  return kc;
}

function serviceAccountKubeconfig(host: Host, url: string | undefined, parameters: Record<string, string>, named: string): KubeConfig {
  const token = parameters.apiToken ?? parameters.apitoken;
  const ca = parameters.serviceAccountCertificate ?? parameters.serviceaccountcertificate;
  if (!url || !token) throw new UserError(`The ${named} has no server URL or token.`, 'Edit the service connection.');
  const decodedToken = Buffer.from(token, 'base64').toString('utf8');
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

/**
 * AKS AAD clusters hand out kubeconfigs that call kubelogin. Instead of requiring it on the
 * runner, tokens for the AKS AAD server app are minted with the step's Azure credential; the
 * credential caches them and renews them before they expire, as kubelogin would.
 */
function usesKubelogin(user: User | null): user is User {
  return !!user?.exec && /kubelogin/.test(user.exec.command ?? '');
}

function serverIdOf(user: User): string {
  const args = user.exec?.args ?? [];
  const i = args.indexOf('--server-id');
  return (i >= 0 && args[i + 1]) || AKS_AAD_SERVER_APP_ID;
}

async function finish(host: Host, kc: KubeConfig, source: string, azure: () => Promise<AzureSession>): Promise<ClusterConnection> {
  const user = kc.getCurrentUser();
  let identity = user?.name ?? 'unknown user';
  if (usesKubelogin(user)) {
    const session = await azure();
    const scope = `${serverIdOf(user)}/.default`;
    kc.addAuthenticator({
      isAuthProvider: (u: User) => u.authProvider?.name === AAD_AUTH_PROVIDER,
      applyAuthentication: async (_u: User, opts: { headers?: Record<string, string> }) => {
        const token = await session.credential.getToken(scope);
        if (!token) throw new Error(`no Azure AD token for ${scope}`);
        opts.headers = { ...opts.headers, Authorization: `Bearer ${token.token}` };
      },
    });
    // Replace the exec plugin: client-node checks built-in authenticators (exec among them) first.
    const users = kc.users.map((u) => (u.name === user.name ? { name: u.name, authProvider: { name: AAD_AUTH_PROVIDER, config: {} } } : u));
    kc.users = users as User[];
    identity = `${session.method} (Azure AD token for the AKS server app)`;
  }
  const server = kc.getCurrentCluster()!.server;
  host.info(`Connected to the cluster at ${server} through ${source}.`);
  return { kubeConfig: kc, source, server, identity };
}
