import type { EvaluationResult } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/types.js';
import {
  BUCKET_ARN,
  type Context,
  documentsFor,
  KEY_ARN,
  KMS_VARIANTS,
  OBJECT_ARN,
  OTHER_KEY_ARN,
  type Row,
  row,
  runRow,
  S3_VARIANTS,
  SECURE_TRANSPORT,
  SSE,
  SSE_C,
  SSE_KEY_ID,
  s3Request,
  TLS_VERSION,
  type Variant,
} from './simulate.js';

/*
 * DESIGN.md access matrix row "anyone" (no plain HTTP, no TLS < 1.2) and the upload
 * enforcement rules ("strict" / "compatible", both: deny SSE-C), for every variant. The
 * simulator reads no headers: each request carries the condition keys S3 would set.
 */

const ALL: Variant[] = [...KMS_VARIANTS, ...S3_VARIANTS];
const COMPLIANT_KMS: Context = { [SSE]: 'aws:kms', [SSE_KEY_ID]: KEY_ARN };
const COMPLIANT = (variant: Variant): Context =>
  variant.scheme === 'sse-kms' ? COMPLIANT_KMS : { [SSE]: 'AES256' };

/** Requests each role is allowed to make; the transport rows must deny every one of them. */
const ALLOWED_REQUESTS = (variant: Variant): Row[] => [
  row('app', 'app', 's3:GetObject', 'Allowed'),
  row('app', 'app', 's3:PutObject', 'Allowed', { context: COMPLIANT(variant) }),
  row('app', 'app', 's3:ListBucket', 'Allowed', { resource: BUCKET_ARN }),
  row('operator', 'operator', 's3:PutBucketVersioning', 'Allowed', { resource: BUCKET_ARN }),
  row('auditor', 'auditor', 's3:GetBucketPolicy', 'Allowed', { resource: BUCKET_ARN }),
];

/** Pairs: the same request with one context value changed; the first is Allowed, the second not. */
const TRANSPORT_PAIRS: [string, string, string, string][] = [
  ['plain HTTP', SECURE_TRANSPORT, 'true', 'false'],
  ['TLS 1.1', TLS_VERSION, '1.2', '1.1'],
  ['TLS 1.0', TLS_VERSION, '1.3', '1.0'],
];

describe.each(ALL)('anyone must never reach the bucket over plain HTTP or TLS < 1.2, $label', (variant) => {
  const documents = () => documentsFor(variant);
  const cases = ALLOWED_REQUESTS(variant).flatMap((request) =>
    TRANSPORT_PAIRS.map(([name, key, good, bad]) => ({ name, key, good, bad, request })),
  );
  it.each(cases)('$name: $request.who $request.action', async ({ key, good, bad, request }) => {
    const run = (value: string) =>
      runRow(documents(), { ...request, context: { ...request.context, [key]: value } });
    expect(await run(good)).toBe('Allowed');
    expect(await run(bad)).toBe('ExplicitlyDenied');
  });
});

interface Upload {
  name: string;
  headers: Context;
  strict: EvaluationResult;
  compatible: EvaluationResult;
}
const A: EvaluationResult = 'Allowed';
const D: EvaluationResult = 'ExplicitlyDenied';
const upload = (name: string, headers: Context, strict: EvaluationResult, compatible: EvaluationResult) => ({
  name,
  headers,
  strict,
  compatible,
});
const KEY_ID_ONLY = KEY_ARN.split('/')[1] as string;

const KMS_UPLOADS: Upload[] = [
  upload('compliant: aws:kms + this key full ARN', COMPLIANT_KMS, A, A),
  upload('AES256', { [SSE]: 'AES256' }, D, D),
  upload("aws:kms + another key's ARN", { [SSE]: 'aws:kms', [SSE_KEY_ID]: OTHER_KEY_ARN }, D, D),
  upload('aws:kms without a key id (AWS managed key)', { [SSE]: 'aws:kms' }, D, D),
  upload('aws:kms + bare key id, not the ARN', { [SSE]: 'aws:kms', [SSE_KEY_ID]: KEY_ID_ONLY }, D, D),
  upload('aws:kms:dsse + this key', { [SSE]: 'aws:kms:dsse', [SSE_KEY_ID]: KEY_ARN }, D, D),
  upload('SSE-C', { [SSE_C]: 'AES256' }, D, D),
  upload('SSE-C beside compliant headers', { ...COMPLIANT_KMS, [SSE_C]: 'AES256' }, D, D),
  upload('headerless (falls to the bucket default)', {}, D, A),
];
const S3_UPLOADS: Upload[] = [
  upload('compliant: AES256', { [SSE]: 'AES256' }, A, A),
  upload('aws:kms + a key ARN', { [SSE]: 'aws:kms', [SSE_KEY_ID]: KEY_ARN }, D, D),
  upload('aws:kms without a key id', { [SSE]: 'aws:kms' }, D, D),
  upload('SSE-C', { [SSE_C]: 'AES256' }, D, D),
  upload('headerless (falls to the bucket default)', {}, D, A),
];

const put = (variant: Variant, headers: Context, bucketPolicy?: PolicyDocument) => {
  const documents = documentsFor(variant);
  const judged = { ...documents, bucketPolicy: bucketPolicy ?? documents.bucketPolicy };
  return s3Request(judged, 'app', 's3:PutObject', OBJECT_ARN, headers);
};

describe.each(ALL)('uploads by the app role, $label', (variant) => {
  const uploads = variant.scheme === 'sse-kms' ? KMS_UPLOADS : S3_UPLOADS;
  it.each(uploads)('$name', async (each) => {
    expect(await put(variant, each.headers)).toBe(each[variant.enforcement]);
  });
});

/** Each header key the bucket policy reads, flipped alone (undefined: absent): proves it is read. */
const pair = (
  scheme: Variant['scheme'],
  name: string,
  base: Context,
  key: string,
  good?: string,
  bad?: string,
) => ({
  scheme,
  name,
  base,
  key,
  good,
  bad,
});
const AES = { [SSE]: 'AES256' };
const UPLOAD_PAIRS = [
  pair('sse-kms', 'algorithm AES256', COMPLIANT_KMS, SSE, 'aws:kms', 'AES256'),
  pair('sse-kms', 'algorithm aws:kms:dsse', COMPLIANT_KMS, SSE, 'aws:kms', 'aws:kms:dsse'),
  pair('sse-kms', 'another key', COMPLIANT_KMS, SSE_KEY_ID, KEY_ARN, OTHER_KEY_ARN),
  pair('sse-kms', 'no key id', COMPLIANT_KMS, SSE_KEY_ID, KEY_ARN),
  pair('sse-kms', 'SSE-C', COMPLIANT_KMS, SSE_C, undefined, 'AES256'),
  pair('sse-s3', 'algorithm aws:kms', AES, SSE, 'AES256', 'aws:kms'),
  pair('sse-s3', 'SSE-C', AES, SSE_C, undefined, 'AES256'),
];

describe.each(ALL)('each upload condition key is read, $label', (variant) => {
  const pairs = UPLOAD_PAIRS.filter((pair) => pair.scheme === variant.scheme);
  it.each(pairs)('$name', async ({ base, key, good, bad }) => {
    const withValue = (value?: string) => {
      const { [key]: _dropped, ...rest } = base;
      return value === undefined ? rest : { ...rest, [key]: value };
    };
    expect(await put(variant, withValue(good))).toBe('Allowed');
    expect(await put(variant, withValue(bad))).toBe('ExplicitlyDenied');
  });
});

describe.each(ALL.filter((variant) => variant.enforcement === 'compatible'))(
  'the Null guard, $label',
  (variant) => {
    it('lets a headerless upload through, and only the guard does', async () => {
      const policy = documentsFor(variant).bucketPolicy;
      const unguarded: PolicyDocument = {
        ...policy,
        Statement: policy.Statement.map(({ Condition, ...statement }) => {
          if (!Condition) return statement;
          const { Null, ...rest } = Condition;
          const guardsAlgorithm = Null?.[SSE] === 'false';
          return { ...statement, Condition: guardsAlgorithm ? rest : Condition };
        }),
      };
      expect(JSON.stringify(unguarded)).not.toBe(JSON.stringify(policy));
      expect(await put(variant, {})).toBe('Allowed');
      expect(await put(variant, {}, unguarded)).toBe('ExplicitlyDenied');
      // The same one-key flip: sending the algorithm header makes the guarded statements judge it.
      const wrongAlgorithm = variant.scheme === 'sse-kms' ? 'AES256' : 'aws:kms';
      expect(await put(variant, { [SSE]: wrongAlgorithm })).toBe('ExplicitlyDenied');
    });
  },
);

/*
 * The two modes may differ only where no encryption header is sent (the bucket default then
 * applies) or a key id is sent without an algorithm, which S3 itself refuses with 400
 * InvalidArgument before any policy is read (the simulator models no such request checks).
 */
describe.each(['sse-kms', 'sse-s3'] as const)(
  'strict and compatible agree on uploads naming an algorithm, %s',
  (scheme) => {
    const [strict, compatible] = (scheme === 'sse-kms' ? KMS_VARIANTS : S3_VARIANTS).filter(
      (variant) => variant.key !== 'existing',
    ) as [Variant, Variant];
    const combinations = [undefined, 'aws:kms', 'AES256', 'aws:kms:dsse'].flatMap((algorithm) =>
      [undefined, KEY_ARN, OTHER_KEY_ARN].flatMap((keyId) =>
        [undefined, 'AES256'].map((customer) => ({
          ...(algorithm ? { [SSE]: algorithm } : {}),
          ...(keyId ? { [SSE_KEY_ID]: keyId } : {}),
          ...(customer ? { [SSE_C]: customer } : {}),
        })),
      ),
    );
    it.each(combinations.filter((headers) => SSE in headers || SSE_C in headers))('%o', async (headers) => {
      expect(await put(compatible, headers)).toBe(await put(strict, headers));
    });
  },
);
