import { runGitHubAction } from '@private-wire/shared/hosts/github';
import { configureCorednsExternalStep } from '@private-wire/shared/steps/configure-coredns-external/index';

void runGitHubAction(configureCorednsExternalStep);
