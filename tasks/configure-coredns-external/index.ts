import { runAzurePipelinesTask } from '@private-wire/shared/hosts/azure-pipelines';
import { configureCorednsExternalStep } from '@private-wire/shared/steps/configure-coredns-external/index';

void runAzurePipelinesTask(configureCorednsExternalStep);
