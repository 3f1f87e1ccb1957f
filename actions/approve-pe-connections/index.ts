import { runGitHubAction } from '@private-wire/shared/hosts/github';
import { approvePeConnectionsStep } from '@private-wire/shared/steps/approve-pe-connections/index';

void runGitHubAction(approvePeConnectionsStep);
