/*
 * Layer: pure formatting and the command's use of the Ui, with aws-sdk-client-mock standing in for
 * AWS (the checks themselves are covered in verify-setup.mock.test.ts and verify-setup.moto.test.ts).
 */
import { GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { formatVerificationTable } from '../../src/verify/format-verification-table.js';
import { runVerifyCommand } from '../../src/verify/run-verify-command.js';
import { recordingUi, serviceError } from './fakes.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

beforeEach(() => {
  expect.hasAssertions();
});

describe('formatVerificationTable', () => {
  it('aligns the details after the longest check name and marks each row', () => {
    const table = formatVerificationTable({
      ok: false,
      checks: [
        { check: 'object: encryption', ok: true, detail: 'ServerSideEncryption = aws:kms' },
        { check: 'AES256 upload refused', ok: false, detail: 'S3 accepted the upload' },
        { check: 'key rotation', ok: true, detail: 'enabled, every 365 days' },
      ],
    });
    expect(table.split('\n')).toEqual([
      'PASS  object: encryption     ServerSideEncryption = aws:kms',
      'FAIL  AES256 upload refused  S3 accepted the upload',
      'PASS  key rotation           enabled, every 365 days',
      '1 of 3 checks FAILED',
    ]);
  });

  it('summarises an all-pass report', () => {
    const table = formatVerificationTable({ ok: true, checks: [{ check: 'a', ok: true, detail: 'fine' }] });
    expect(table).toBe('PASS  a  fine\n1 of 1 checks passed');
  });
});

describe('runVerifyCommand', () => {
  it('prints the table through the Ui and returns the report for the exit code', async () => {
    const clients = createClients({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
    const s3 = mockClient(clients.s3);
    const kms = mockClient(clients.kms);
    try {
      s3.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'AES256' });
      s3.on(GetBucketEncryptionCommand).resolves({
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
              BucketKeyEnabled: true,
            },
          ],
        },
      });
      s3.on(GetPublicAccessBlockCommand).rejects(
        serviceError(
          'NoSuchPublicAccessBlockConfiguration',
          404,
          'The public access block configuration was not found',
        ),
      );
      kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
      const ui = recordingUi();

      const report = await runVerifyCommand(
        { bucket: 'acme-data', region: 'eu-west-1', scheme: 'sse-kms', keyArn: KEY_ARN, object: 'old.bin' },
        clients,
        ui,
      );

      expect(report.ok).toBe(false);
      expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual([
        'object: encryption',
        'object: KMS key',
        'object: bucket key',
        'public access block',
      ]);
      const note = ui.lines.find((line) => line.startsWith('note[Verification of s3://acme-data/old.bin]: '));
      expect(note).toContain(formatVerificationTable(report));
      expect(ui.lines).toContain('spinner.start: Verifying s3://acme-data');
      expect(ui.lines).toContain('spinner.error: 4 of 6 checks failed');
      expect(ui.lines.at(-1)).toBe('error: The setup does not hold: see the FAIL rows above.');
    } finally {
      s3.restore();
      kms.restore();
      clients.destroy();
    }
  });
});
