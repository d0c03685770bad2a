import { OWN_SID_PREFIX } from '../plan/bucket-policy.js';
import type { PolicyDocument } from '../types.js';
import { isObject, type JsonObject, sameJson, sidOf, statementsOf } from './policy-json.js';

export interface MergedBucketPolicy {
  policy: JsonObject;
  /** Sids (or positions) of statements that are not this tool's, kept untouched. */
  kept: string[];
  added: string[];
  replaced: string[];
  unchanged: string[];
  /** This tool's statements no longer in the plan, or repeats of one Sid. */
  removed: string[];
}

const isOurs = (sid: string | undefined): sid is string => sid?.startsWith(OWN_SID_PREFIX) === true;

/**
 * Merges this tool's statements into a bucket policy. Every statement whose Sid does not
 * start with OWN_SID_PREFIX is kept as the very object that was read, in its place; each of
 * ours replaces the first statement with its Sid, or is appended. Anything else with our
 * prefix is dropped, so a re-run never duplicates a statement. Top-level fields (Id,
 * Version) of an existing policy are kept too, so others' statements mean what they meant.
 */
export function mergeBucketPolicy(current: unknown, ours: PolicyDocument): MergedBucketPolicy {
  const oursBySid = new Map(ours.Statement.map((statement) => [statement.Sid, statement]));
  const result: MergedBucketPolicy = {
    policy: {},
    kept: [],
    added: [],
    replaced: [],
    unchanged: [],
    removed: [],
  };
  const placed = new Set<string>();
  const statements: unknown[] = [];

  statementsOf(current).forEach((statement, index) => {
    const sid = sidOf(statement);
    if (!isOurs(sid)) {
      statements.push(statement);
      result.kept.push(sid ?? `statement #${index + 1} (no Sid)`);
      return;
    }
    const replacement = oursBySid.get(sid);
    if (!replacement || placed.has(sid)) {
      result.removed.push(sid);
      return;
    }
    statements.push(replacement);
    placed.add(sid);
    (sameJson(statement, replacement) ? result.unchanged : result.replaced).push(sid);
  });
  for (const statement of ours.Statement) {
    if (placed.has(statement.Sid)) continue;
    statements.push(statement);
    result.added.push(statement.Sid);
  }

  const base = isObject(current) ? current : {};
  result.policy = { ...base, Version: base.Version ?? ours.Version, Statement: statements };
  return result;
}
