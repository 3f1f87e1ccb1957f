import { runAzurePipelinesTask } from '@private-wire/shared/hosts/azure-pipelines';
import { setWebappDnsStep } from '@private-wire/shared/steps/set-webapp-dns/index';

void runAzurePipelinesTask(setWebappDnsStep);
