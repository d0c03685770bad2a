/*
 * A YAML emitter for JSON-shaped data (mappings, sequences, strings, numbers, booleans),
 * block style only, so any YAML 1.1 or 1.2 parser reads back exactly the value given:
 * CloudFormation's, cfn-lint's (PyYAML) and the tests'. No tags, anchors or flow style.
 */

export type YamlValue =
  | string
  | number
  | boolean
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue };

const INDENT = '  ';

/*
 * Plain (unquoted) only for text that no YAML version reads as anything but that string:
 * starting with a letter rules out numbers, dates, `~`, `-`, `*`, `&`, `!`, `%`, `@` and
 * quotes; no spaces rules out `: ` and ` #`; no trailing `:` keeps it from looking like a key.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./:*-]*$/;
// Booleans and null in YAML 1.1 (y/yes/on...) and 1.2 (true/false/null), any case.
const KEYWORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;

function isPlainSafe(text: string): boolean {
  return PLAIN.test(text) && !text.endsWith(':') && !KEYWORDS.test(text);
}

/*
 * Double-quoted scalars escape `\`, `"` and every character outside printable ASCII, so the
 * output is ASCII: no parser can fold a line break, drop a BOM or refuse a C1 control.
 */
function doubleQuoted(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (code >= 0x20 && code <= 0x7e) out += char;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** One scalar as YAML text: plain when unambiguous, double-quoted otherwise. */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // Only integers: a float's text differs between JavaScript and YAML (1e21, -0).
    if (!Number.isSafeInteger(value) || Object.is(value, -0))
      throw new Error(`not an emittable number: ${value}`);
    return String(value);
  }
  return isPlainSafe(value) ? value : doubleQuoted(value);
}

function isCollection(
  value: YamlValue,
): value is readonly YamlValue[] | { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null;
}

/** An empty collection has no block form: `[]` and `{}` are the flow forms every parser knows. */
function inline(value: YamlValue): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (isCollection(value)) return Object.keys(value).length === 0 ? '{}' : undefined;
  if (value === undefined || value === null) throw new Error('undefined and null are not emitted');
  return yamlScalar(value as string | number | boolean);
}

function lines(value: YamlValue, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as YamlValue[]) {
      const text = inline(item);
      if (text !== undefined) {
        out.push(`${pad}- ${text}`);
        continue;
      }
      // The item's block one level deeper, its first line starting at the dash.
      const inner = lines(item, depth + 1);
      out.push(`${pad}- ${(inner[0] ?? '').slice(pad.length + INDENT.length)}`, ...inner.slice(1));
    }
    return out;
  }
  for (const [key, item] of Object.entries(value as { [key: string]: YamlValue })) {
    const name = yamlScalar(key);
    const text = inline(item);
    if (text !== undefined) out.push(`${pad}${name}: ${text}`);
    else out.push(`${pad}${name}:`, ...lines(item, depth + 1));
  }
  return out;
}

/** A whole YAML document for a mapping or sequence, ending in a newline. */
export function emitYaml(value: YamlValue): string {
  const text = inline(value);
  if (text !== undefined) return `${text}\n`;
  return `${lines(value, 0).join('\n')}\n`;
}
