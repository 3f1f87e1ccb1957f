// Every resource type whose private endpoint connections the step changes, with what its
// swagger in Azure/azure-rest-api-specs says about them (the README's provider table lists the
// same rows). Read, per row, in the `spec` file at `apiVersion`: the PrivateEndpointConnection
// definition (etag, provisioningState) and, where `read` says so, the `privateEndpointConnections`
// paths (list, GET, PUT).

/**
 * How a provider reports provisioning. ARM's Resource Provider Contract (Azure/azure-resource-manager-rpc
 * v1.0/Addendum.md, "ProvisioningState property") makes Succeeded, Failed and Canceled the terminal
 * states of every resource, lets each provider add transitional ones, and says a resource that
 * returns no provisioningState is Succeeded; providers whose enum differs add to it here.
 */
export interface ProvisioningStates {
  /** The spec's states in which the provider is still at work. */
  transitional: readonly string[];
  /** Terminal states besides Succeeded that end a change without failing it. */
  done: readonly string[];
  /** Terminal states besides Failed and Canceled that mean the change failed. */
  failed: readonly string[];
  /**
   * What a state this row does not list means. The RPC: every other value is non-terminal. Web
   * apps type provisioningState as a free string and the SDK follows their approve to its end, so
   * there a state the row does not know counts as terminal.
   */
  unknown: 'in-progress' | 'terminal';
}

export interface ProviderRow {
  /** `Provider/type` as users write it. */
  type: string;
  /** The API version the step calls (for SDK-backed types, the SDK's). */
  apiVersion: string;
  /** How the step reaches it. */
  via: 'sdk' | 'generic';
  /** The spec's PrivateEndpointConnection has an `etag`: the step's write is conditioned on it. */
  etag: boolean;
  /** The spec file read, in Azure/azure-rest-api-specs. */
  spec: string;
  /** What was read there: the definitions only, or the paths too. */
  read: 'definitions' | 'paths and definitions';
  provisioning: ProvisioningStates;
}

// Creating, Updating, Deleting, Succeeded, Failed, Canceled (and Key Vault's Disconnected).
const CREATING_UPDATING_DELETING = { transitional: ['Creating', 'Updating', 'Deleting'], done: [], failed: [], unknown: 'in-progress' } as const;
// common-types privatelinks.json (v1, v2): PrivateEndpointConnectionProvisioningState Succeeded, Creating, Deleting, Failed.
const CREATING_DELETING = { transitional: ['Creating', 'Deleting'], done: [], failed: [], unknown: 'in-progress' } as const;

export const PROVIDERS: readonly ProviderRow[] = [
  {
    type: 'Microsoft.Network/privateLinkServices',
    apiVersion: '2025-05-01', // @azure/arm-network 36's default
    via: 'sdk',
    etag: true,
    spec: 'specification/network/resource-manager/Microsoft.Network/Network/stable/2025-05-01/privateLinkService.json (ProvisioningState in network.json)',
    read: 'paths and definitions',
    provisioning: { transitional: ['Updating', 'Deleting'], done: [], failed: [], unknown: 'in-progress' },
  },
  {
    type: 'Microsoft.Web/sites',
    apiVersion: '2025-05-01', // @azure/arm-appservice 19's default
    via: 'sdk',
    etag: false,
    // RemotePrivateEndpointConnectionARMResource: a ProxyResource with `provisioningState: string`,
    // read in the SDK's models generated from this TypeSpec (no swagger file of 2025-05-01 was at hand).
    spec: 'specification/web/resource-manager/Microsoft.Web/AppService (TypeSpec), as generated into @azure/arm-appservice 19',
    read: 'definitions',
    provisioning: { transitional: [], done: [], failed: [], unknown: 'terminal' },
  },
  {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-05-01',
    via: 'generic',
    etag: false,
    spec: 'specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/privatelinks.json',
    read: 'definitions',
    provisioning: CREATING_DELETING,
  },
  {
    type: 'Microsoft.KeyVault/vaults',
    apiVersion: '2023-07-01',
    via: 'generic',
    etag: true,
    spec: 'specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json',
    read: 'paths and definitions',
    // Disconnected is a provisioning state too: the connection is over, nothing more will happen.
    provisioning: { ...CREATING_UPDATING_DELETING, done: ['Disconnected'] },
  },
  {
    type: 'Microsoft.KeyVault/managedHSMs',
    apiVersion: '2023-07-01',
    via: 'generic',
    etag: true,
    spec: 'specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/managedHsm.json',
    read: 'definitions',
    provisioning: { ...CREATING_UPDATING_DELETING, done: ['Disconnected'] },
  },
  {
    type: 'Microsoft.Sql/servers',
    apiVersion: '2021-11-01',
    via: 'generic',
    etag: false,
    spec: 'specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/PrivateEndpointConnections.json',
    read: 'paths and definitions',
    // PrivateEndpointProvisioningState: Approving, Ready, Dropping, Failed, Rejecting.
    provisioning: { transitional: ['Approving', 'Rejecting', 'Dropping'], done: ['Ready'], failed: [], unknown: 'in-progress' },
  },
  {
    type: 'Microsoft.DocumentDB/databaseAccounts',
    apiVersion: '2023-04-15',
    via: 'generic',
    etag: false,
    spec: 'specification/cosmos-db/resource-manager/Microsoft.DocumentDB/stable/2023-04-15/privateEndpointConnection.json',
    read: 'paths and definitions',
    // provisioningState is a plain string there: the RPC's states only.
    provisioning: { transitional: [], done: [], failed: [], unknown: 'in-progress' },
  },
  {
    type: 'Microsoft.ContainerRegistry/registries',
    apiVersion: '2023-07-01',
    via: 'generic',
    etag: false,
    spec: 'specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/stable/2023-07-01/containerregistry.json',
    read: 'definitions',
    provisioning: CREATING_UPDATING_DELETING,
  },
  {
    type: 'Microsoft.CognitiveServices/accounts',
    apiVersion: '2023-05-01',
    via: 'generic',
    // An AzureEntityResource (common-types v2), which carries `etag`.
    etag: true,
    spec: 'specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2023-05-01/cognitiveservices.json',
    read: 'definitions',
    provisioning: CREATING_DELETING,
  },
  {
    type: 'Microsoft.EventHub/namespaces',
    apiVersion: '2024-01-01',
    via: 'generic',
    etag: false,
    spec: 'specification/eventhub/resource-manager/Microsoft.EventHub/stable/2024-01-01/namespaces.json',
    read: 'definitions',
    provisioning: CREATING_UPDATING_DELETING,
  },
  {
    type: 'Microsoft.ServiceBus/namespaces',
    apiVersion: '2021-11-01',
    via: 'generic',
    etag: false,
    spec: 'specification/servicebus/resource-manager/Microsoft.ServiceBus/stable/2021-11-01/namespace-preview.json',
    read: 'definitions',
    provisioning: CREATING_UPDATING_DELETING,
  },
  {
    type: 'Microsoft.AppConfiguration/configurationStores',
    apiVersion: '2023-03-01',
    via: 'generic',
    etag: false,
    spec: 'specification/appconfiguration/resource-manager/Microsoft.AppConfiguration/stable/2023-03-01/appconfiguration.json',
    read: 'definitions',
    provisioning: CREATING_UPDATING_DELETING,
  },
  {
    type: 'Microsoft.Search/searchServices',
    apiVersion: '2023-11-01',
    via: 'generic',
    etag: false,
    spec: 'specification/search/resource-manager/Microsoft.Search/stable/2023-11-01/search.json',
    read: 'definitions',
    // Incomplete: "accepted but the process of creation has not commenced yet".
    provisioning: { transitional: ['Updating', 'Deleting', 'Incomplete'], done: [], failed: [], unknown: 'in-progress' },
  },
  {
    type: 'Microsoft.Cache/redis',
    apiVersion: '2023-08-01',
    via: 'generic',
    etag: false,
    spec: 'specification/redis/resource-manager/Microsoft.Cache/stable/2023-08-01/redis.json (common-types v1 privatelinks.json)',
    read: 'paths and definitions',
    provisioning: CREATING_DELETING,
  },
  {
    type: 'Microsoft.SignalRService/signalR',
    apiVersion: '2023-02-01',
    via: 'generic',
    etag: false,
    spec: 'specification/signalr/resource-manager/Microsoft.SignalRService/stable/2023-02-01/signalr.json',
    read: 'definitions',
    provisioning: { transitional: ['Unknown', 'Running', 'Creating', 'Updating', 'Deleting', 'Moving'], done: [], failed: [], unknown: 'in-progress' },
  },
];

// ARM types are case-insensitive: look them up lower-cased.
const BY_KEY = new Map(PROVIDERS.map((row) => [row.type.toLowerCase(), row]));

/** The row of a `Provider/type` key (any case), or undefined when the step does not support it. */
export function providerOf(typeKey: string): ProviderRow | undefined {
  return BY_KEY.get(typeKey.toLowerCase());
}
