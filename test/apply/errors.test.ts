import { createServer } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordCalls } from '../../src/apply/call-log.js';
import { runApply } from '../../src/apply/run-apply.js';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { AwsError, exitCodeOf, formatError } from '../../src/errors.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import {
  applyOptions,
  createRoles,
  motoClients,
  planFor,
  REGION,
  recordingUi,
  useMotoEnvironment,
} from './support.js';

/*
 * Layers: a closed local port (a real unreachable endpoint), an empty credential chain (real
 * SDK credential resolution), aws-sdk-client-mock for credentials AWS rejects (moto accepts
 * any key, so it cannot produce InvalidClientTokenId), and moto with a 403 injected by a
 * middleware for an AccessDenied on a write.
 */

let moto: Moto;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(() => {
  expect.hasAssertions();
  process.env = { ...savedEnv };
  useMotoEnvironment(moto);
});

afterEach(() => {
  process.env = { ...savedEnv };
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('apply errors', () => {
  it('an unreachable endpoint gives an AwsError naming the step, with a hint, exit 1', {
    timeout: 60_000,
  }, async () => {
    const clients = createClients({ region: REGION, endpoint: `http://127.0.0.1:${await closedPort()}` });
    const error = await runApply(planFor(), applyOptions(clients), recordingUi()).catch((e: unknown) => e);
    clients.destroy();

    expect(error).toBeInstanceOf(AwsError);
    const awsError = error as AwsError;
    expect(awsError.step).toBe('identify the caller');
    expect(awsError.operation).toBe('GetCallerIdentity');
    expect(awsError.hint).toContain('could not be reached');
    expect(exitCodeOf(error)).toBe(1);
  });

  it('no credentials at all gives an AwsError with a hint on how to provide them', async () => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
      delete process.env[name];
    }
    const clients = motoClients(moto);
    const error = await runApply(planFor(), applyOptions(clients), recordingUi()).catch((e: unknown) => e);
    clients.destroy();

    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).errorName).toBe('CredentialsProviderError');
    expect((error as AwsError).hint).toContain('AWS_PROFILE');
  });

  it('credentials AWS rejects give the error name, status, request id and a hint, and no secret', async () => {
    const sts = mockClient(STSClient);
    try {
      sts.on(GetCallerIdentityCommand).rejects(
        Object.assign(new Error('The security token included in the request is invalid.'), {
          name: 'InvalidClientTokenId',
          $metadata: { httpStatusCode: 403, requestId: 'req-123' },
        }),
      );
      const clients = motoClients(moto);
      const error = await runApply(planFor(), applyOptions(clients), recordingUi()).catch((e: unknown) => e);
      clients.destroy();

      expect(error).toBeInstanceOf(AwsError);
      const awsError = error as AwsError;
      expect(awsError.errorName).toBe('InvalidClientTokenId');
      expect(awsError.httpStatus).toBe(403);
      expect(awsError.requestId).toBe('req-123');
      expect(awsError.hint).toContain('credentials were rejected');
      expect(formatError(error)).not.toContain(moto.env.AWS_SECRET_ACCESS_KEY as string);
    } finally {
      sts.restore();
    }
  });

  it('AccessDenied on a write names the step and the permission it needs; later phases do not run', async () => {
    await moto.reset();
    const setup = motoClients(moto);
    await createRoles(setup);
    setup.destroy();

    const clients = motoClients(moto);
    const log = recordCalls(clients);
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutBucketEncryptionCommand') {
          throw Object.assign(new Error('Access Denied'), {
            name: 'AccessDenied',
            $metadata: { httpStatusCode: 403, requestId: 'denied-1' },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyEncryption', priority: 'low' },
    );
    const error = await runApply(planFor(), applyOptions(clients), recordingUi()).catch((e: unknown) => e);
    clients.destroy();

    expect(error).toBeInstanceOf(AwsError);
    const awsError = error as AwsError;
    expect(awsError.step).toBe('set default encryption of acme-invoices');
    expect(awsError.hint).toContain('s3:PutEncryptionConfiguration');
    const written = log.writes().map((call) => call.operation);
    expect(written).not.toContain('PutBucketPolicy');
    expect(written).not.toContain('PutRolePolicy');
  });

  describe('reads made before they are known to be needed', () => {
    /** Denies one read operation on every client of `clients`, like a missing permission. */
    function deny(clients: AwsClients, operation: string): void {
      for (const client of [clients.s3, clients.kms, clients.iam, clients.sts]) {
        (client as unknown as S3Client).middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === `${operation}Command`) {
              throw Object.assign(new Error('Access Denied'), {
                name: 'AccessDenied',
                $metadata: { httpStatusCode: 403, requestId: `denied-${operation}` },
              });
            }
            return next(args);
          },
          { step: 'initialize', name: `deny${operation}`, priority: 'low' },
        );
      }
    }

    async function appliedAccount(): Promise<void> {
      await moto.reset();
      const setup = motoClients(moto);
      await createRoles(setup);
      await runApply(planFor(), applyOptions(setup), recordingUi());
      setup.destroy();
    }

    // Read together with HeadBucket, a denied bucket policy must still stop apply: taken for
    // "no policy", the put would drop the statements of others.
    for (const operation of ['GetBucketPolicy', 'GetKeyPolicy']) {
      it(`a denied ${operation} stops apply before any write, naming the read`, async () => {
        await appliedAccount();
        const clients = motoClients(moto);
        deny(clients, operation);
        const log = recordCalls(clients);
        const error = await runApply(planFor(), applyOptions(clients), recordingUi()).catch(
          (e: unknown) => e,
        );
        clients.destroy();
        expect(error).toBeInstanceOf(AwsError);
        expect((error as AwsError).operation).toBe(operation);
        expect(log.writes()).toEqual([]);
      });
    }

    it('a denied ListKeys does not matter when the alias finds the key: the re-run writes nothing', async () => {
      await appliedAccount();
      const clients = motoClients(moto);
      deny(clients, 'ListKeys');
      const log = recordCalls(clients);
      const result = await runApply(planFor(), applyOptions(clients), recordingUi());
      clients.destroy();
      expect(result.diff.every((step) => step.status === 'in-place')).toBe(true);
      expect(log.calls.map((call) => call.operation)).toContain('ListKeys');
      expect(log.writes()).toEqual([]);
    });

    it('a denied ListKeys stops a fresh apply (the key cannot be looked for by its tag)', async () => {
      await moto.reset();
      const setup = motoClients(moto);
      await createRoles(setup);
      setup.destroy();
      const clients = motoClients(moto);
      deny(clients, 'ListKeys');
      const log = recordCalls(clients);
      const error = await runApply(planFor(), applyOptions(clients), recordingUi()).catch((e: unknown) => e);
      clients.destroy();
      expect((error as AwsError).operation).toBe('ListKeys');
      expect(log.writes()).toEqual([]);
    });
  });
});
