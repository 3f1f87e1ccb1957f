// `pnpm publish:vsix`: packs the extension under your own publisher and publishes it to the Visual
// Studio Marketplace, shared privately with organizations or listed publicly. The flags are
// tfx-cli's (microsoft/tfs-cli docs/extensions.md "Publish an extension"; `tfx extension publish
// --help`): --vsix, --share-with (space-separated organizations), --token, --no-prompt.
import type { PackOptions } from './vsix';

export interface PublishRequest extends PackOptions {
  publisher: string;
  /** Organizations the private extension is shared with (`--share-with`). */
  shareWith: string[];
}

/** The Marketplace's publisher/extension ID rule (SchemaStore vss-extension.json `publisher` and `id` pattern). */
const MARKETPLACE_ID = /^[a-zA-Z0-9][a-zA-Z0-9-]+$/;
/** An Azure DevOps organization name as it appears in dev.azure.com/<organization>. */
const ORGANIZATION = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

const USAGE =
  'Usage: pnpm publish:vsix --publisher <id> (--share-with <organization>[,<organization>…] | --public) [--extension-id <id>]. ' +
  'The token comes from AZURE_DEVOPS_EXT_PAT (a Marketplace "Manage" scoped PAT) or from an earlier `tfx login`.';

function valueOf(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value. ${USAGE}`);
  return value;
}

/** The publish request the command line asks for; throws with the usage on anything it cannot use. */
export function parsePublishArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): PublishRequest {
  const known = new Set(['--publisher', '--share-with', '--public', '--extension-id']);
  const unknown = args.filter((a) => a.startsWith('--') && !known.has(a));
  if (unknown.length > 0) throw new Error(`Unknown option ${unknown.join(', ')}. ${USAGE}`);
  const publisher = valueOf(args, '--publisher') ?? env.PRIVATE_WIRE_PUBLISHER;
  if (!publisher) throw new Error(`No publisher: give --publisher <id> (or PRIVATE_WIRE_PUBLISHER), the ID of your Marketplace publisher. ${USAGE}`);
  if (!MARKETPLACE_ID.test(publisher)) throw new Error(`Publisher '${publisher}' is not a Marketplace ID (letters, digits and '-', not starting with '-').`);
  const extensionId = valueOf(args, '--extension-id');
  if (extensionId !== undefined && !MARKETPLACE_ID.test(extensionId)) throw new Error(`Extension ID '${extensionId}' is not a Marketplace ID.`);
  const shareWith = (valueOf(args, '--share-with') ?? '').split(/[,\s]+/).filter(Boolean);
  const isPublic = args.includes('--public');
  const badOrg = shareWith.find((o) => !ORGANIZATION.test(o));
  if (badOrg) throw new Error(`'${badOrg}' is not an organization name (the <organization> in dev.azure.com/<organization>).`);
  if (isPublic && shareWith.length > 0) throw new Error('--public and --share-with exclude each other: a public extension is visible to every organization.');
  if (!isPublic && shareWith.length === 0) throw new Error(`Say who gets the extension: --share-with <organization> (private) or --public. ${USAGE}`);
  return { publisher, extensionId, public: isPublic, shareWith };
}

/** Arguments of `tfx extension publish` for an already packed vsix. */
export function tfxPublishArgs(vsix: string, request: PublishRequest, token: string | undefined): string[] {
  return [
    'extension', 'publish',
    '--vsix', vsix,
    ...(request.shareWith.length > 0 ? ['--share-with', ...request.shareWith] : []),
    ...(token ? ['--token', token] : []),
    '--no-prompt',
    '--no-color',
  ];
}
