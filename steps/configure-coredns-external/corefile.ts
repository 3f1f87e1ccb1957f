/**
 * Just enough Corefile (Caddyfile) syntax to see which zones the other `coredns-custom` keys
 * serve: directives are a word plus arguments on one line, optionally followed by a `{ … }` block;
 * `#` starts a comment; double quotes keep spaces. Server blocks (`zone:port { … }`) are
 * directives too. The stand-in has its own parser on purpose: it plays CoreDNS, and a test
 * oracle that shared this code would agree with the step's mistakes.
 */
export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

interface Token {
  text: string;
  quoted: boolean;
  newlineBefore: boolean;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let newline = true;
  for (let i = 0; i < src.length; ) {
    const ch = src[i]!;
    if (ch === '\n') {
      newline = true;
      i++;
    } else if (/\s/.test(ch)) i++;
    else if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (ch === '"') {
      let text = '';
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '\\' && src[i + 1] === '"') i++;
        text += src[i];
      }
      if (i >= src.length) throw new Error('unterminated quoted string');
      i++;
      tokens.push({ text, quoted: true, newlineBefore: newline });
      newline = false;
    } else {
      let text = '';
      while (i < src.length && !/[\s#"]/.test(src[i]!)) text += src[i++];
      tokens.push({ text, quoted: false, newlineBefore: newline });
      newline = false;
    }
  }
  return tokens;
}

/** Parses Corefile text; throws on unbalanced braces or quotes (CoreDNS would refuse to load it too). */
export function parseCorefile(src: string): Directive[] {
  const tokens = tokenize(src);
  let pos = 0;
  const parseList = (nested: boolean): Directive[] => {
    const list: Directive[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      if (!t.quoted && t.text === '}') {
        if (!nested) throw new Error("unexpected '}'");
        pos++;
        return list;
      }
      // `{` may open a block on its own line (Caddyfile allows it after a server block key).
      if (!t.quoted && t.text === '{') {
        const owner = list[list.length - 1];
        pos++;
        if (!owner || owner.block) throw new Error("unexpected '{'");
        owner.block = parseList(true);
        continue;
      }
      const d: Directive = { name: t.text, args: [] };
      pos++;
      while (pos < tokens.length && !tokens[pos]!.newlineBefore) {
        const a = tokens[pos]!;
        if (!a.quoted && a.text === '{') {
          pos++;
          d.block = parseList(true);
          break;
        }
        if (!a.quoted && a.text === '}') break;
        d.args.push(a.text);
        pos++;
      }
      list.push(d);
    }
    if (nested) throw new Error("missing '}'");
    return list;
  };
  return parseList(false);
}

/** `dns://Example.COM.:53` → `example.com`: the zone a server block key or plugin argument names. */
export function zoneOf(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

export interface ServedZones {
  /** Zones of `k8s_external` directives (in `.override` keys, imported into the default server block). */
  k8sExternal: string[];
  /** Zones of server blocks (in `.server` keys). */
  serverBlocks: string[];
}

/** What one coredns-custom key serves, by its kind (`*.override` or `*.server`). */
export function servedZones(key: string, text: string): ServedZones {
  const directives = parseCorefile(text);
  if (key.endsWith('.server')) {
    return { k8sExternal: [], serverBlocks: directives.filter((d) => d.block).flatMap((d) => [d.name, ...d.args].map(zoneOf)) };
  }
  if (key.endsWith('.override')) {
    return { k8sExternal: directives.filter((d) => d.name === 'k8s_external').flatMap((d) => d.args.map(zoneOf)), serverBlocks: [] };
  }
  return { k8sExternal: [], serverBlocks: [] };
}

/** Our `.override` snippet: one k8s_external block for the zone. */
export function renderK8sExternal(zone: string, ttl: number, headless: boolean): string {
  return [
    '# Managed by private-wire (configure-coredns-external); the next run replaces edits made here.',
    `# Answers <service>.<namespace>.${zone} with the Service's load balancer IPs.`,
    `k8s_external ${zone} {`,
    `    ttl ${ttl}`,
    ...(headless ? ['    headless'] : []),
    '}',
    '',
  ].join('\n');
}
