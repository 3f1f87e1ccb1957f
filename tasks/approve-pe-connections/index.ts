import { runAzurePipelinesTask } from '@private-wire/shared/hosts/azure-pipelines';
import { approvePeConnectionsStep } from '@private-wire/shared/steps/approve-pe-connections/index';

void runAzurePipelinesTask(approvePeConnectionsStep);
