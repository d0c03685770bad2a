import { describe, expect, it } from 'vitest';
import { mergeBucketPolicy } from '../../src/apply/merge-bucket-policy.js';
import { canonical, sameJson, statementChanges, storedPolicy } from '../../src/apply/policy-json.js';
import { OWN_SID_PREFIX } from '../../src/plan/bucket-policy.js';
import type { PolicyDocument } from '../../src/types.js';

/* Layer: unit, pure functions. */

const ours: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: `${OWN_SID_PREFIX}A`, Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' },
    {
      Sid: `${OWN_SID_PREFIX}B`,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/*',
    },
  ],
};
const foreign = {
  Sid: 'Theirs',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
};
const noSid = {
  Effect: 'Allow',
  Principal: { Service: 'logging.s3.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: 'arn:aws:s3:::b/logs/*',
};

describe('mergeBucketPolicy', () => {
  it('with no policy, is ours', () => {
    const merged = mergeBucketPolicy(undefined, ours);
    expect(merged.policy).toEqual(ours);
    expect(merged.added).toEqual([`${OWN_SID_PREFIX}A`, `${OWN_SID_PREFIX}B`]);
  });

  it('keeps foreign statements (with or without Sid) as the same objects, in order, and appends ours', () => {
    const current = { Version: '2012-10-17', Id: 'x', Statement: [foreign, noSid] };
    const merged = mergeBucketPolicy(current, ours);
    const statements = merged.policy.Statement as unknown[];
    expect(statements[0]).toBe(foreign);
    expect(statements[1]).toBe(noSid);
    expect(statements.slice(2)).toEqual(ours.Statement);
    expect(merged.policy.Id).toBe('x');
    expect(merged.kept).toEqual(['Theirs', 'statement #2 (no Sid)']);
  });

  it('replaces ours where they stand, drops stale and repeated ones, and never duplicates', () => {
    const oldA = { ...ours.Statement[0], Action: 's3:GetObject' };
    const current = {
      Version: '2012-10-17',
      Statement: [oldA, foreign, { Sid: `${OWN_SID_PREFIX}Stale`, Effect: 'Deny' }, { ...oldA }],
    };
    const merged = mergeBucketPolicy(current, ours);
    const sids = (merged.policy.Statement as { Sid?: string }[]).map((statement) => statement.Sid);
    expect(sids).toEqual([`${OWN_SID_PREFIX}A`, 'Theirs', `${OWN_SID_PREFIX}B`]);
    expect(merged.replaced).toEqual([`${OWN_SID_PREFIX}A`]);
    expect(merged.removed).toEqual([`${OWN_SID_PREFIX}Stale`, `${OWN_SID_PREFIX}A`]);
    // Merging the result again changes nothing.
    const again = mergeBucketPolicy(merged.policy, ours);
    expect(sameJson(again.policy, merged.policy)).toBe(true);
    expect(again.unchanged).toEqual([`${OWN_SID_PREFIX}A`, `${OWN_SID_PREFIX}B`]);
  });

  it("keeps the Version of a policy that has one (others' statements were written for it), and sets ours where none is", () => {
    const legacy = mergeBucketPolicy({ Version: '2008-10-17', Statement: [foreign] }, ours);
    expect(legacy.policy.Version).toBe('2008-10-17');
    const unversioned = mergeBucketPolicy({ Statement: [foreign] }, ours);
    expect(unversioned.policy.Version).toBe('2012-10-17');
  });

  it('accepts a single statement object, as IAM allows', () => {
    const merged = mergeBucketPolicy({ Version: '2012-10-17', Statement: foreign }, ours);
    expect((merged.policy.Statement as unknown[])[0]).toBe(foreign);
  });
});

describe('policy comparison by meaning', () => {
  it('ignores key order, one-element lists, list order, and number/string spelling', () => {
    const a = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:B', 's3:A'],
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        },
      ],
    };
    const b = {
      Statement: {
        Condition: { NumericLessThan: { 's3:TlsVersion': ['1.2'] } },
        Action: ['s3:A', 's3:B'],
        Effect: 'Allow',
      },
      Version: '2012-10-17',
    };
    expect(sameJson(a, b)).toBe(true);
    expect(canonical(['x'])).toBe('x');
  });

  it('still sees a real difference', () => {
    expect(sameJson({ Action: ['s3:A'] }, { Action: ['s3:A', 's3:B'] })).toBe(false);
    expect(sameJson({ Effect: 'Allow' }, { Effect: 'Deny' })).toBe(false);
  });

  it('decodes IAM URL-encoded documents and leaves plain JSON (even with %) alone', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Resource: 'arn:aws:s3:::b/a%20b' }] });
    expect(storedPolicy(encodeURIComponent(text))).toEqual({ text, document: JSON.parse(text) });
    expect(storedPolicy(text).document).toEqual(JSON.parse(text));
  });

  it('describes statement changes by Sid and field', () => {
    const before = {
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject' },
        { Sid: 'Gone', Effect: 'Deny' },
      ],
    };
    const after = {
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 's3:PutObject' },
        { Sid: 'New', Effect: 'Deny' },
      ],
    };
    expect(statementChanges(before, after)).toEqual(['~ A (Action changed)', '+ New', '- Gone']);
  });
});
