/**
 * A parser for Corefile syntax (Caddyfile-style): directives are a name plus arguments on one
 * line, optionally followed by a `{ ... }` block of nested directives; `#` starts a comment;
 * quoted strings keep spaces. Server blocks (`zone:port { ... }`) are directives too. Enough to
 * read what users put in AKS's `coredns-custom` (`*.override` snippets and `*.server` blocks).
 */
export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
  line: number;
}

interface Token {
  text: string;
  line: number;
  quoted: boolean;
  newlineBefore: boolean;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  let newline = true;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\n') {
      line++;
      newline = true;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (ch === '"') {
      let text = '';
      const start = line;
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && src[i + 1] === '"') i++;
        if (src[i] === '\n') line++;
        text += src[i++];
      }
      if (i >= src.length) throw new Error(`line ${start}: unterminated quoted string`);
      i++;
      out.push({ text, line: start, quoted: true, newlineBefore: newline });
      newline = false;
    } else {
      let text = '';
      while (i < src.length && !/[\s#"]/.test(src[i]!)) text += src[i++];
      out.push({ text, line, quoted: false, newlineBefore: newline });
      newline = false;
    }
  }
  return out;
}

export function parseCorefile(src: string): Directive[] {
  const tokens = tokenize(src);
  let pos = 0;
  const parseList = (nested: boolean): Directive[] => {
    const list: Directive[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      if (!t.quoted && t.text === '}') {
        if (!nested) throw new Error(`line ${t.line}: unexpected '}'`);
        pos++;
        return list;
      }
      if (!t.quoted && t.text === '{') throw new Error(`line ${t.line}: unexpected '{'`);
      const d: Directive = { name: t.text, args: [], line: t.line };
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
    if (nested) throw new Error("unexpected end of input: missing '}'");
    return list;
  };
  return parseList(false);
}

export interface ExternalZoneConfig {
  zones: string[];
  ttl: number;
  headless: boolean;
  /** `apex` sub-directive: the name the SOA/NS records live under (default `dns`). */
  apex: string;
}

const fqdn = (z: string) => z.toLowerCase().replace(/\.$/, '');

/** The `k8s_external` blocks of a snippet, with the plugin's defaults (ttl 5, apex `dns`). */
export function externalZones(directives: Directive[]): ExternalZoneConfig[] {
  const out: ExternalZoneConfig[] = [];
  for (const d of directives) {
    if (d.name === 'k8s_external') {
      const cfg: ExternalZoneConfig = { zones: d.args.map(fqdn), ttl: 5, headless: false, apex: 'dns' };
      for (const sub of d.block ?? []) {
        if (sub.name === 'ttl') {
          const n = Number(sub.args[0]);
          if (!Number.isInteger(n) || n < 0 || n > 3600) throw new Error(`line ${sub.line}: ttl must be in range [0, 3600]: ${sub.args[0]}`);
          cfg.ttl = n;
        } else if (sub.name === 'headless') cfg.headless = true;
        else if (sub.name === 'apex') cfg.apex = sub.args[0] ?? 'dns';
        else if (sub.name === 'fallthrough') continue;
        else throw new Error(`line ${sub.line}: unknown property '${sub.name}'`);
      }
      out.push(cfg);
    }
  }
  return out;
}
