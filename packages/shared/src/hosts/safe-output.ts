// Text from Azure, the cluster or an input is data: before a host adapter prints it, nothing in
// it may read as a runner command, and no credential in it may reach a log.
//
// What the runners parse (so what must be defused):
// - GitHub Actions: a line whose text, after leading whitespace, starts with `::` (workflow
//   commands, `TryParseV2`), and a line containing `##[` anywhere (legacy commands, `TryParse`
//   uses IndexOf). Source: actions/runner src/Runner.Common/ActionCommand.cs.
// - Azure Pipelines: a line containing `##vso[` anywhere (the agent matches the marker with an
//   ordinal IndexOf). Source: azure-pipelines-task-lib externaloutput.js, whose neutral form
//   `##_vso[` we use too.
// Both runners read output with .NET's line reader, which ends a line at `\r`, `\n` or `\r\n`, so
// a bare `\r` inside a value starts a new line as far as they are concerned.

/** Line ends as the runners see them. */
const LINE_END = /\r\n|\r|\n/;

/** Leading characters .NET's String.TrimStart() removes (char.IsWhiteSpace), plus a few invisible ones. */
const LEADING_SPACE = /^[\s\u0085\u180e\u200b\ufeff]*/;

/** Defuses one line: a leading `::` becomes `:_:`, every `##vso[` becomes `##_vso[` and every `##[` becomes `##_[`. */
function neutralizeLine(line: string): string {
  let out = line.replace(/##vso\[/g, '##_vso[').replace(/##\[/g, '##_[');
  const lead = LEADING_SPACE.exec(out)![0];
  if (out.startsWith('::', lead.length)) out = `${lead}:_${out.slice(lead.length + 1)}`;
  return out;
}

/**
 * The text with every line defused, so whatever a value contains it cannot become a runner
 * command on either host. Line ends are normalised to `\n` (a bare `\r` would start a line the
 * runner parses on its own).
 */
export function neutralizeCommands(text: string): string {
  return text.split(LINE_END).map(neutralizeLine).join('\n');
}

/** Patterns of credentials that SDK and HTTP error texts are known to carry. */
const CREDENTIAL_PATTERNS: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // Authorization header values (an identity error can echo the request it sent).
  [/\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, 'Bearer ***'],
  // Basic credentials only when the value is base64 of `user:password` ("Basic tier" stays).
  [/\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})/g, (match, value) => (Buffer.from(value, 'base64').toString('utf8').includes(':') ? 'Basic ***' : match)],
  // user:password@ (or a token as the user part) in any URL.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@'],
  // OAuth form fields and JSON token fields.
  [/\b(client_secret|client_assertion|assertion|access_token|refresh_token|id_token|password)=([^&\s"']+)/gi, '$1=***'],
  [/"(client_secret|client_assertion|access_token|refresh_token|id_token|oidcToken|token|password|accessToken|idToken)"(\s*:\s*)"[^"]*"/gi, '"$1"$2"***"'],
  // JSON Web Tokens wherever they appear: in this project a JWT is always a credential.
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, '***'],
];

/** The text with bearer/basic tokens, URL user-info, token fields and JWTs replaced by `***`. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

/** What every host adapter prints: credentials redacted, runner commands defused. */
export function safeText(text: string): string {
  return neutralizeCommands(redactCredentials(text));
}

/** Escapes text for inline markdown (a table cell, a list item): no HTML, no table break, no new line. */
export function markdownInline(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  return redactCredentials(text)
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}
