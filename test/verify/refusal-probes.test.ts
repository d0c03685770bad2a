import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import {
  discountRefusals,
  type RefusalProbe,
  refusalProbes,
  runProbe,
} from '../../src/verify/refusal-probes.js';
import type { VerifyTarget } from '../../src/verify/verify-target.js';
import { serviceError } from './fakes.js';

/*
 * What counts as a refusal, probe by probe, against a scripted S3: only AccessDenied with
 * HTTP 403 from the bucket policy passes; an accepted upload fails and is deleted at once.
 */

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KMS_TARGET: VerifyTarget = {
  bucket: 'acme-data',
  region: 'eu-west-1',
  scheme: 'sse-kms',
  keyArn: KEY_ARN,
};
const PROBE: RefusalProbe = {
  check: 'AES256 upload refused',
  suffix: 'aes256',
  encryption: { ServerSideEncryption: 'AES256' },
};
const POLICY_DENIAL =
  'User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: s3:PutObject with an explicit deny in a resource-based policy';
const KMS_DENIAL =
  'User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: kms:GenerateDataKey on resource';

type Answer = (command: unknown) => unknown;

/** An S3 client answering PutObject and DeleteObject as told, recording what was sent. */
function scriptedS3(answers: { put: Answer; delete?: Answer }) {
  const sent: unknown[] = [];
  const s3 = {
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof PutObjectCommand) return answers.put(command);
      if (command instanceof DeleteObjectCommand) return (answers.delete ?? (() => ({})))(command);
      throw new Error(`unexpected ${String(command)}`);
    },
  };
  return { clients: { s3 } as unknown as AwsClients, sent };
}

const refuse = (error: unknown) => () => {
  throw error;
};
const inputs = (sent: unknown[]) =>
  sent.map((command) => ({
    name: (command as object).constructor.name,
    ...(command as PutObjectCommand | DeleteObjectCommand).input,
  }));

describe('refusalProbes', () => {
  it('keeps the definitions, giving every SSE-C probe a fresh 32-byte customer key', () => {
    const first = refusalProbes(KMS_TARGET);
    expect(first.map(({ check, suffix }) => [check, suffix])).toEqual([
      ['AES256 upload refused', 'aes256'],
      ['upload naming another key refused', 'other-key'],
      ['SSE-C upload refused', 'sse-c'],
    ]);
    expect(first[0]?.encryption).toEqual({ ServerSideEncryption: 'AES256' });
    expect(first[1]?.encryption).toMatchObject({ ServerSideEncryption: 'aws:kms' });
    expect(first[1]?.encryption.SSEKMSKeyId).not.toBe(KEY_ARN);
    const sseC = first[2]?.encryption ?? {};
    expect(Object.keys(sseC)).toEqual(['SSECustomerAlgorithm', 'SSECustomerKey']);
    expect(sseC.SSECustomerAlgorithm).toBe('AES256');
    expect(Buffer.from(sseC.SSECustomerKey ?? '', 'base64')).toHaveLength(32);
    expect(refusalProbes(KMS_TARGET)[2]?.encryption.SSECustomerKey).not.toBe(sseC.SSECustomerKey);
  });
});

describe('runProbe', () => {
  it('sends the probe under its own key, with its encryption headers', async () => {
    const { clients, sent } = scriptedS3({ put: refuse(serviceError('AccessDenied', 403, POLICY_DENIAL)) });
    await runProbe(KMS_TARGET, clients, PROBE, 'verify/base');
    expect(inputs(sent)).toEqual([
      expect.objectContaining({
        name: 'PutObjectCommand',
        Bucket: 'acme-data',
        Key: 'verify/base-aes256',
        ServerSideEncryption: 'AES256',
      }),
    ]);
  });

  it("counts the bucket policy's AccessDenied with HTTP 403 as the refusal", async () => {
    const { clients, sent } = scriptedS3({ put: refuse(serviceError('AccessDenied', 403, POLICY_DENIAL)) });
    expect(await runProbe(KMS_TARGET, clients, PROBE, 'k')).toEqual({
      check: {
        check: 'AES256 upload refused',
        ok: true,
        detail: `AccessDenied (HTTP 403, request id req-AccessDenied): ${POLICY_DENIAL}`,
      },
      refused: true,
    });
    expect(sent).toHaveLength(1);
  });

  it('does not count a refusal by KMS: the bucket policy let the upload through', async () => {
    const { clients, sent } = scriptedS3({ put: refuse(serviceError('AccessDenied', 403, KMS_DENIAL)) });
    expect(await runProbe(KMS_TARGET, clients, PROBE, 'k')).toEqual({
      check: {
        check: 'AES256 upload refused',
        ok: false,
        detail: `not a refusal (only AccessDenied, HTTP 403 counts): AccessDenied (HTTP 403, request id req-AccessDenied): ${KMS_DENIAL}`,
      },
      refused: false,
    });
    // An HTTP answer means nothing was stored: nothing to delete.
    expect(sent).toHaveLength(1);
  });

  it('does not count another error, or AccessDenied with another status', async () => {
    for (const error of [
      serviceError('InternalError', 500, 'We encountered an internal error'),
      serviceError('AccessDenied', 400, POLICY_DENIAL),
      serviceError('InvalidArgument', 403, POLICY_DENIAL),
    ]) {
      const { clients, sent } = scriptedS3({ put: refuse(error) });
      const result = await runProbe(KMS_TARGET, clients, PROBE, 'k');
      expect(result.refused).toBe(false);
      expect(result.check.ok).toBe(false);
      expect(result.check.detail).toMatch(/^not a refusal \(only AccessDenied, HTTP 403 counts\): /);
      expect(result.check.detail).not.toContain('stray');
      expect(sent).toHaveLength(1);
    }
  });

  it('fails an accepted upload and deletes that very version at once', async () => {
    const { clients, sent } = scriptedS3({ put: () => ({ VersionId: 'v1' }) });
    expect(await runProbe(KMS_TARGET, clients, PROBE, 'k')).toEqual({
      check: {
        check: 'AES256 upload refused',
        ok: false,
        detail: 'S3 accepted the upload; the stray object was deleted',
      },
      refused: false,
    });
    expect(inputs(sent)[1]).toEqual({
      name: 'DeleteObjectCommand',
      Bucket: 'acme-data',
      Key: 'k-aes256',
      VersionId: 'v1',
    });
  });

  it('says so when the stray object could not be deleted', async () => {
    const { clients } = scriptedS3({
      put: () => ({}),
      delete: refuse(serviceError('AccessDenied', 403, 'no s3:DeleteObject')),
    });
    const result = await runProbe(KMS_TARGET, clients, PROBE, 'k');
    expect(result.refused).toBe(false);
    expect(result.check.detail).toMatch(
      /^S3 accepted the upload; the stray object remains: could not delete s3:\/\/acme-data\/k-aes256: AccessDenied \(HTTP 403, request id req-AccessDenied\): no s3:DeleteObject; hint: /,
    );
  });

  it('after an error without an HTTP answer, deletes what may have been stored, and says so', async () => {
    const reset = Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
    const { clients, sent } = scriptedS3({ put: refuse(reset) });
    const result = await runProbe(KMS_TARGET, clients, PROBE, 'k');
    expect(result.refused).toBe(false);
    expect(result.check.ok).toBe(false);
    expect(result.check.detail).toMatch(
      /^not a refusal \(only AccessDenied, HTTP 403 counts\): Error \(no HTTP response\): socket hang up/,
    );
    expect(result.check.detail).toMatch(/; a possible stray object was deleted$/);
    expect(inputs(sent)[1]).toEqual({ name: 'DeleteObjectCommand', Bucket: 'acme-data', Key: 'k-aes256' });

    const failing = scriptedS3({
      put: refuse(reset),
      delete: refuse(serviceError('AccessDenied', 403, 'no')),
    });
    const detail = (await runProbe(KMS_TARGET, failing.clients, PROBE, 'k')).check.detail;
    expect(detail).toMatch(/socket hang up.*; could not delete s3:\/\/acme-data\/k-aes256: AccessDenied/);
    expect(detail).not.toContain('possible stray object was deleted');
  });
});

describe('discountRefusals', () => {
  it('turns each refusal into a failure that says it proves nothing, and leaves the rest', () => {
    const failed = { check: 'b', ok: false, detail: 'accepted' };
    const results = discountRefusals([
      { check: { check: 'a', ok: true, detail: 'AccessDenied (HTTP 403)' }, refused: true },
      { check: failed, refused: false },
    ]);
    expect(results).toEqual([
      {
        check: 'a',
        ok: false,
        detail:
          'AccessDenied (HTTP 403); but the compliant upload failed too, so this proves nothing about the policy',
      },
      failed,
    ]);
    expect(results[1]).toBe(failed);
  });
});
