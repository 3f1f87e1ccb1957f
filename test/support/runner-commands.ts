// What each runner would take as a command in a process's output: the tests' own reading of the
// runners' parsers (kept apart from the host adapters' escaping on purpose, so a mistake in one
// is caught by the other).
// - GitHub (actions/runner ActionCommand.cs): TryParseV2 trims leading whitespace and needs `::`
//   at the start; the legacy TryParse finds `##[` anywhere in the line.
// - Azure Pipelines (agent Command.TryParse, mirrored by task-lib externaloutput.js): `##vso[`
//   anywhere in the line.
// Both read lines with .NET's reader, which ends a line at \r, \n or \r\n.

export interface RunnerCommand {
  /** The command name, e.g. `add-mask`, `stop-commands`, `task.setvariable`. */
  name: string;
  line: string;
}

export function runnerLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/);
}

/** Every line the GitHub runner would try as a command, with the command word it names. */
export function gitHubCommands(output: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  for (const line of runnerLines(output)) {
    // .NET TrimStart: Unicode white space (and NEL); being generous here only makes the test stricter.
    const trimmed = line.replace(/^[\s\u0085]+/, '');
    const v2 = /^::([^\s:]*)/.exec(trimmed);
    if (v2 && trimmed.indexOf('::', 2) >= 0) {
      commands.push({ name: v2[1]!, line });
      continue;
    }
    const at = line.indexOf('##[');
    if (at >= 0 && line.indexOf(']', at) >= 0) commands.push({ name: /^##\[([^\s\]]*)/.exec(line.slice(at))![1]!, line });
  }
  return commands;
}

/** Every line the Azure Pipelines agent would parse as a logging command. */
export function azurePipelinesCommands(output: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  for (const line of runnerLines(output)) {
    const at = line.indexOf('##vso[');
    if (at >= 0) commands.push({ name: /^##vso\[([^\s\]]*)/.exec(line.slice(at))![1]!, line });
  }
  return commands;
}
