import type { StepMetadata } from '@private-wire/shared/metadata/types';
import { aksApiAccessMetadata } from './aks-api-access/metadata';
import { approvePeConnectionsMetadata } from './approve-pe-connections/metadata';
import { checkPrivatePathMetadata } from './check-private-path/metadata';
import { configureCorednsExternalMetadata } from './configure-coredns-external/metadata';
import { createPrivateEndpointMetadata } from './create-private-endpoint/metadata';
import { exposeInternalServiceMetadata } from './expose-internal-service/metadata';
import { setWebappDnsMetadata } from './set-webapp-dns/metadata';
import { vnetIntegrateWebappMetadata } from './vnet-integrate-webapp/metadata';

/**
 * Metadata of every shipped step, in the order of the procedure. The generators make
 * actions/<id>/action.yml, tasks/<id>/task.json, the README tables and vss-extension.json from it;
 * each step's logic lives beside its metadata and is bundled from its own entry only.
 */
export const SHIPPED_STEPS: readonly StepMetadata[] = [
  vnetIntegrateWebappMetadata,
  aksApiAccessMetadata,
  exposeInternalServiceMetadata,
  configureCorednsExternalMetadata,
  setWebappDnsMetadata,
  approvePeConnectionsMetadata,
  createPrivateEndpointMetadata,
  checkPrivatePathMetadata,
];
