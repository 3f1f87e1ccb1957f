import { runAzurePipelinesTask } from '@private-wire/shared/hosts/azure-pipelines';
import { exposeInternalServiceStep } from '@private-wire/shared/steps/expose-internal-service/index';

void runAzurePipelinesTask(exposeInternalServiceStep);
