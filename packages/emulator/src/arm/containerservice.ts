import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { json } from '../http';
import { AKS_AAD_SERVER_APP_ID } from '../entra/tokens';
import { ArmError, badRequest } from './errors';
import { parseIpOrCidr } from './cidr';
import { defaultResource } from './service';
import type { ArmResource } from './store';
import type { ArmEnv, ArmRequest, KubeEndpoint, TypeHandler } from './types';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;

export const CLUSTER = 'Microsoft.ContainerService/managedClusters';
/** Azure CLI's public client id, which AKS puts in the kubelogin exec args. */
const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/**
 * At most this many API server authorized IP ranges: "You can specify up to 200 authorized IP
 * ranges" (MicrosoftDocs/azure-aks-docs articles/aks/api-server-authorized-ip-ranges.md,
 * "Limitations and considerations"). The error AKS answers beyond it is not documented: the code
 * and text below are the stand-in's own.
 */
export const MAX_AUTHORIZED_RANGES = 200;

/** Provisioning states of a cluster while an operation runs on it. */
const IN_PROGRESS = new Set(['creating', 'updating', 'deleting', 'upgrading', 'scaling', 'starting', 'stopping', 'migrating']);

/**
 * AKS refuses a write while another operation runs on the cluster: 409 OperationNotAllowed with
 * this text, as AKS answers it (quoted in Azure/azure-workload-identity#417 and
 * cilium/cilium#25944; https://aka.ms/aks-pending-operation is the link AKS itself gives).
 */
function refuseWhileBusy(existing: ArmResource | undefined): void {
  const state = String(props(existing).provisioningState ?? '');
  if (!existing || !IN_PROGRESS.has(state.toLowerCase())) return;
  throw new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed: Another operation (${state}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
  );
}

/** Network profile fields AKS refuses to change after creation. */
const IMMUTABLE_NETWORK = ['networkPlugin', 'podCidr', 'serviceCidr', 'dnsServiceIP', 'outboundType', 'networkPolicy'];

export const managedClusters: TypeHandler = {
  type: CLUSTER,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  // Updates of an existing cluster take minutes in Azure; the stand-in's duration is configurable.
  operationDelayMs: (env, existing) => (existing ? env.clusterUpdateDelayMs : undefined),
  put(env, r, existing) {
    refuseWhileBusy(existing);
    const resource = defaultResource(r, existing);
    if (!resource.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
    const p = (r.body?.properties ?? {}) as Props;
    const old = props(existing);
    const net = { networkPlugin: 'kubenet', podCidr: '10.244.0.0/16', serviceCidr: '10.0.0.0/16', dnsServiceIP: '10.0.0.10', outboundType: 'loadBalancer', loadBalancerSku: 'standard', ...(old.networkProfile as Props | undefined), ...(p.networkProfile as Props | undefined) };
    if (existing) {
      const before = (old.networkProfile ?? {}) as Props;
      const asked = (p.networkProfile ?? {}) as Props;
      for (const k of IMMUTABLE_NETWORK) {
        if (asked[k] !== undefined && before[k] !== undefined && String(asked[k]).toLowerCase() !== String(before[k]).toLowerCase()) {
          throw badRequest('PropertyChangeNotAllowed', `Changing property 'networkProfile.${k}' is not allowed.`);
        }
      }
    }
    const access = { ...((p.apiServerAccessProfile ?? {}) as Props) };
    const ranges = Array.isArray(access.authorizedIPRanges) ? (access.authorizedIPRanges as string[]) : [];
    if (ranges.length > MAX_AUTHORIZED_RANGES) {
      throw badRequest('InvalidParameter', `The value of parameter apiServerAccessProfile.authorizedIPRanges is invalid: ${ranges.length} ranges, but at most ${MAX_AUTHORIZED_RANGES} are allowed.`);
    }
    for (const range of ranges) {
      if (!parseIpOrCidr(range)) throw badRequest('InvalidParameter', `The value of parameter apiServerAccessProfile.authorizedIPRanges is invalid: '${range}' is not a valid IP address or CIDR.`);
    }
    if (access.enablePrivateCluster && ranges.length) {
      throw badRequest('InvalidParameter', 'Authorized IP ranges are not supported on private clusters.');
    }
    const aad = p.aadProfile as Props | undefined;
    if (aad && aad.managed === false) throw badRequest('InvalidParameter', 'Legacy (non-managed) AAD integration is not supported; set aadProfile.managed to true.');
    const dnsPrefix = String(p.dnsPrefix ?? old.dnsPrefix ?? `${r.name}-dns`);
    const hash = createHash('sha256').update(r.id.toLowerCase()).digest('hex').slice(0, 8);
    resource.properties = {
      kubernetesVersion: '1.30.0',
      currentKubernetesVersion: p.kubernetesVersion ?? old.kubernetesVersion ?? '1.30.0',
      enableRBAC: true,
      disableLocalAccounts: false,
      agentPoolProfiles: [{ name: 'nodepool1', count: 1, vmSize: 'Standard_D2s_v3', mode: 'System', osType: 'Linux' }],
      ...p,
      dnsPrefix,
      ...apiServerFqdns(r.id, dnsPrefix, String(resource.location), access, old),
      azurePortalFQDN: old.azurePortalFQDN ?? `${dnsPrefix}-${hash}.portal.hcp.${resource.location}.azmk8s.io`,
      nodeResourceGroup: p.nodeResourceGroup ?? old.nodeResourceGroup ?? `MC_${r.resourceGroup}_${r.name}_${resource.location}`,
      networkProfile: net,
      apiServerAccessProfile: access,
      ...(aad ? { aadProfile: { enableAzureRBAC: false, adminGroupObjectIDs: [], ...aad, tenantID: aad.tenantID ?? r.caller.tenantId } } : {}),
      // Managed-identity clusters report clientId "msi" here (never a secret); az aks show
      // dereferences this object unconditionally, so a cluster without it crashes az.
      servicePrincipalProfile: p.servicePrincipalProfile ?? old.servicePrincipalProfile ?? { clientId: 'msi' },
      powerState: { code: 'Running' },
      maxAgentPools: 100,
    };
    resource.identity ??= existing?.identity ?? { type: 'SystemAssigned', principalId: randomUUID(), tenantId: r.caller.tenantId };
    resource.sku ??= existing?.sku ?? { name: 'Base', tier: 'Free' };
    return { resource };
  },
  // AKS spells the body property `eTag` (azure-rest-api-specs ManagedCluster), unlike Network's `etag`.
  view(_env, cluster) {
    const { etag, ...rest } = cluster;
    return { ...rest, ...(etag ? { eTag: etag } : {}) };
  },
  actions: {
    listclusterusercredential: (env, r) => credentials(env, r, 'user'),
    listclusteradmincredential: (env, r) => credentials(env, r, 'admin'),
    listclustermonitoringusercredential: (env, r) => credentials(env, r, 'user'),
    runcommand: (env, r) => env.runCommands.submit(env, r),
  },
};

/**
 * The API server's names. A private cluster has `privateFQDN` (resolvable only through its private
 * DNS zone) and, unless `apiServerAccessProfile.enablePrivateClusterPublicFQDN` is false, also the
 * public `fqdn` (AKS creates it by default: MicrosoftDocs/azure-aks-docs articles/aks/private-clusters.md,
 * "Disable a public FQDN on a private AKS cluster"); other clusters have only `fqdn`. Property
 * names from azure-rest-api-specs specification/containerservice/resource-manager/
 * Microsoft.ContainerService/aks/stable/2022-01-01/managedClusters.json (ManagedClusterProperties
 * fqdn / privateFQDN, ManagedClusterAPIServerAccessProfile). The `<guid>.privatelink` form of the
 * private name is illustrative.
 */
export function apiServerFqdns(id: string, dnsPrefix: string, location: string, access: Props, old: Props): { fqdn?: string; privateFQDN?: string } {
  const hash = createHash('sha256').update(id.toLowerCase()).digest('hex');
  const isPrivate = access.enablePrivateCluster === true;
  const hasPublic = !isPrivate || access.enablePrivateClusterPublicFQDN !== false;
  const guid = `${hash.slice(8, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 24)}-${hash.slice(24, 28)}-${hash.slice(28, 40)}`;
  return {
    fqdn: hasPublic ? String(old.fqdn ?? `${dnsPrefix}-${hash.slice(0, 8)}.hcp.${location}.azmk8s.io`) : undefined,
    privateFQDN: isPrivate ? String(old.privateFQDN ?? `${dnsPrefix}-${hash.slice(0, 8)}.${guid}.privatelink.${location}.azmk8s.io`) : undefined,
  };
}

/**
 * Kubeconfigs as AKS returns them (`{kubeconfigs:[{name:'clusterUser', value: base64}]}`),
 * pointing at the kube stand-in. AAD clusters' user kubeconfig takes the `format` query parameter
 * (see aadUser); admin credentials carry static credentials and are refused when local accounts
 * are disabled. `server-fqdn` picks the server name (see serverUrl).
 */
function credentials(env: ArmEnv, r: ArmRequest, kind: 'user' | 'admin') {
  const cluster = env.store.get(r.id)!;
  const p = props(cluster);
  const aad = p.aadProfile as Props | undefined;
  if (kind === 'admin' && p.disableLocalAccounts) {
    throw badRequest('BadRequest', 'Getting static credential is not allowed because this cluster is set to disable local accounts.');
  }
  const kube: KubeEndpoint = env.kube(cluster) ?? { server: `https://${String(p.fqdn ?? p.privateFQDN)}:443`, caPem: '', adminToken: 'unavailable' };
  const server = serverUrl(r, p, kube);
  const context = kind === 'admin' ? `${cluster.name}-admin` : cluster.name;
  const userName = `cluster${kind === 'admin' ? 'Admin' : 'User'}_${r.resourceGroup}_${cluster.name}`;
  const user =
    kind === 'user' && aad
      ? aadUser(r, p, String(aad.tenantID ?? env.defaultTenantId))
      : {
          ...(kube.clientCertPem ? { 'client-certificate-data': Buffer.from(kube.clientCertPem).toString('base64') } : {}),
          ...(kube.clientKeyPem ? { 'client-key-data': Buffer.from(kube.clientKeyPem).toString('base64') } : {}),
          token: kind === 'admin' ? kube.adminToken : (kube.userToken ?? kube.adminToken),
        };
  const kubeconfig = {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(kube.caPem).toString('base64'), server }, name: cluster.name }],
    contexts: [{ context: { cluster: cluster.name, user: userName }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{ name: userName, user }],
  };
  return json(200, { kubeconfigs: [{ name: kind === 'admin' ? 'clusterAdmin' : 'clusterUser', value: Buffer.from(stringify(kubeconfig)).toString('base64') }] });
}

/**
 * The kubeconfig's server. Without `server-fqdn`, a private cluster's kubeconfig names its
 * `privateFQDN`, which resolves only through the cluster's private DNS zone: the stand-in writes that
 * name, so a runner outside the VNet fails to resolve it as it would on Azure. `server-fqdn=public`
 * (what `az aks get-credentials --public-fqdn` sends: azure-cli acs/custom.py aks_get_credentials,
 * `serverType = 'public'`; the parameter is ServerFqdnParameter in the managedClusters.json specs
 * since 2021-05-01) names the public `fqdn`, which the stand-in serves (its own address). No public
 * source says how AKS answers other values, or `public` on a cluster without a public FQDN: the
 * stand-in refuses both, so a client cannot come to depend on an answer nobody documented.
 */
function serverUrl(r: ArmRequest, p: Props, kube: KubeEndpoint): string {
  const asked = r.ctx.url.searchParams.get('server-fqdn');
  if (asked !== null && asked.toLowerCase() !== 'public') {
    throw badRequest('InvalidParameter', `The value '${asked}' of query parameter server-fqdn is not supported by this stand-in (only 'public' is documented).`);
  }
  if (asked !== null && !p.fqdn) {
    throw badRequest('InvalidParameter', 'The cluster has no public FQDN (apiServerAccessProfile.enablePrivateClusterPublicFQDN is false), so server-fqdn=public cannot be served.');
  }
  if (p.privateFQDN && asked === null) return `https://${String(p.privateFQDN)}:443`;
  return kube.server;
}

/**
 * An AAD cluster's user entry in the `format` asked for (query parameter `format`, defined on
 * listClusterUserCredential since api-version 2022-01-01: managedClusters.json
 * CredentialFormatParameter, enum exec | azure). Without it, clusters on Kubernetes 1.24 or later get
 * `exec` (kubelogin) and older ones the legacy `azure` auth-provider (MicrosoftDocs/azure-aks-docs
 * articles/aks/enable-authentication-microsoft-entra-id.md: "Starting with Kubernetes version 1.24,
 * the default format of the clusterUser credential for Microsoft Entra ID clusters is exec").
 */
function aadUser(r: ArmRequest, p: Props, tenantId: string): Props {
  const asked = r.ctx.url.searchParams.get('format');
  const version = String(p.currentKubernetesVersion ?? p.kubernetesVersion ?? '1.30.0').split('.').map(Number);
  const format = asked ?? ((version[0] ?? 1) > 1 || (version[1] ?? 0) >= 24 ? 'exec' : 'azure');
  if (format !== 'exec' && format !== 'azure') throw badRequest('InvalidParameter', `Format '${format}' is not supported. Valid formats are 'azure' and 'exec'.`);
  if (format === 'azure') {
    // The legacy client-go `azure` auth-provider (removed from client-go in Kubernetes 1.26):
    // no token until a program refreshes one.
    return { 'auth-provider': { name: 'azure', config: { 'apiserver-id': AKS_AAD_SERVER_APP_ID, 'client-id': AZURE_CLI_CLIENT_ID, 'config-mode': '1', environment: 'AzurePublicCloud', 'tenant-id': tenantId } } };
  }
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', AKS_AAD_SERVER_APP_ID, '--client-id', AZURE_CLI_CLIENT_ID, '--tenant-id', tenantId, '--login', 'devicecode'],
      command: 'kubelogin',
      env: null,
      installHint: '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
      provideClusterInfo: false,
    },
  };
}

