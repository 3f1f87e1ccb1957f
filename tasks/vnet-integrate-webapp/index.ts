import { runAzurePipelinesTask } from '@private-wire/shared/hosts/azure-pipelines';
import { vnetIntegrateWebappStep } from '@private-wire/shared/steps/vnet-integrate-webapp/index';

void runAzurePipelinesTask(vnetIntegrateWebappStep);
