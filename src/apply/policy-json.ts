/*
 * Policy documents compared by meaning, not by bytes: AWS hands policies back re-serialised
 * (IAM URL-encodes them, S3 and KMS may reformat), and IAM treats "s3:GetObject" and
 * ["s3:GetObject"] alike, so a byte comparison would report changes that are not there and
 * a re-run would write again.
 */

export type JsonObject = { [key: string]: unknown };

/** A policy as AWS returns it: IAM URL-encodes (RFC 3986) its documents, S3 and KMS do not. */
export function storedPolicy(text: string): { text: string; document: JsonObject } {
  const decoded = text.trim().startsWith('{') ? text : decodeURIComponent(text);
  const parsed: unknown = JSON.parse(decoded);
  if (!isObject(parsed)) throw new Error('policy document is not a JSON object');
  return { text: decoded, document: parsed };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One canonical form per meaning: keys sorted, a one-element list equal to its element,
 * lists of strings as sets (order and repeats do not matter to IAM), and numbers and
 * booleans as the strings IAM compares them as.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    const list = items.every((item) => typeof item === 'string')
      ? [...new Set(items as string[])].sort()
      : items;
    return list.length === 1 ? list[0] : list;
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The statements of a document; a single statement object counts as a list of one. */
export function statementsOf(document: unknown): JsonObject[] {
  if (!isObject(document)) return [];
  const statements = document.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return list.filter(isObject);
}

export function sidOf(statement: JsonObject): string | undefined {
  return typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : undefined;
}

const STATEMENT_FIELDS = [
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

/**
 * Statement-level changes from `current` to `desired`, one readable line each:
 * `+ Sid` added, `~ Sid (fields)` changed, `- Sid` removed, and a count of unchanged ones.
 * Statements without a Sid are matched by position.
 */
export function statementChanges(current: unknown, desired: unknown): string[] {
  const key = (statement: JsonObject, index: number) =>
    sidOf(statement) ?? `statement #${index + 1} (no Sid)`;
  const before = new Map(statementsOf(current).map((statement, index) => [key(statement, index), statement]));
  const after = new Map(statementsOf(desired).map((statement, index) => [key(statement, index), statement]));
  const lines: string[] = [];
  let unchanged = 0;
  for (const [sid, statement] of after) {
    const old = before.get(sid);
    if (!old) {
      lines.push(`+ ${sid}`);
    } else if (sameJson(old, statement)) {
      unchanged += 1;
    } else {
      const fields = STATEMENT_FIELDS.filter((field) => !sameJson(old[field], statement[field]));
      lines.push(`~ ${sid} (${fields.length > 0 ? fields.join(', ') : 'other fields'} changed)`);
    }
  }
  for (const sid of before.keys()) {
    if (!after.has(sid)) lines.push(`- ${sid}`);
  }
  if (unchanged > 0) lines.push(`= ${unchanged} statement${unchanged === 1 ? '' : 's'} unchanged`);
  return lines;
}
