import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import type { VerificationCheck } from '../apply/contract.js';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import {
  CLIENT_APP_KEY_CHECK,
  CLIENT_APP_KEY_DETAIL,
  CLIENT_KMS_CHECKS,
  type ContextRecord,
  clientKmsContext,
  clientKmsRefusedContexts,
} from './check-definitions.js';
import { asAwsError, describeAwsError, fail, notRun, pass, VERIFY_STEP } from './checks.js';
import { isKmsDirectRefusal } from './refusal-rule.js';
import type { VerifyTarget } from './verify-target.js';

/** Every client-side row, for a scheme whose client-side layer verify can prove or must name. */
export function clientSideCheckNames(target: VerifyTarget, objectKey = ''): string[] {
  if (target.scheme === 'client-app-key') return [CLIENT_APP_KEY_CHECK];
  if (target.scheme !== 'client-kms') return [];
  return [
    CLIENT_KMS_CHECKS.generate,
    ...clientKmsRefusedContexts(target.bucket, objectKey).map((probe) => probe.check),
    CLIENT_KMS_CHECKS.decrypt,
    CLIENT_KMS_CHECKS.decryptWithout,
  ];
}

/**
 * The client-side layer's checks, as the application role would meet them. client-kms: the
 * direct KMS calls the Encryption SDK makes, allowed only under this bucket's context for a
 * named object (no SDK needed: these are plain KMS calls). client-app-key: a not-run row naming
 * the round trip the application must run itself.
 */
export async function clientSideChecks(
  target: VerifyTarget,
  clients: AwsClients,
  objectKey: string,
): Promise<VerificationCheck[]> {
  if (target.scheme === 'client-app-key') return [notRun(CLIENT_APP_KEY_CHECK, CLIENT_APP_KEY_DETAIL)];
  if (target.scheme !== 'client-kms' || !target.keyArn) return [];
  const keyArn = target.keyArn;
  const context = clientKmsContext(target.bucket, objectKey);
  const generate = (EncryptionContext: ContextRecord | undefined) =>
    awsCall(VERIFY_STEP, 'GenerateDataKey', () =>
      clients.kms.send(
        new GenerateDataKeyCommand({
          KeyId: keyArn,
          KeySpec: 'AES_256',
          ...(EncryptionContext ? { EncryptionContext } : {}),
        }),
      ),
    );
  const [allowed, ...refused] = await Promise.all([
    settle(generate(context)),
    ...clientKmsRefusedContexts(target.bucket, objectKey).map(async (probe) => ({
      check: probe.check,
      result: await settle(generate(probe.context)),
    })),
  ]);
  const where = `s3://${target.bucket}/${objectKey}`;
  const blob = allowed.ok ? allowed.value.CiphertextBlob : undefined;
  const generateRow = blob
    ? pass(CLIENT_KMS_CHECKS.generate, `KMS returned a data key for ${where}`)
    : fail(
        CLIENT_KMS_CHECKS.generate,
        allowed.ok
          ? 'KMS answered without a CiphertextBlob'
          : `the application role must get a data key under this context: ${describeAwsError(asAwsError('GenerateDataKey', allowed.error))}`,
      );
  const refusalRows = refused.map(({ check, result }) =>
    mustRefuse(check, 'GenerateDataKey', result, !!blob),
  );
  if (!blob) {
    const reason = `not run: no data key to decrypt (${CLIENT_KMS_CHECKS.generate} failed)`;
    return [
      generateRow,
      ...refusalRows,
      fail(CLIENT_KMS_CHECKS.decrypt, reason),
      fail(CLIENT_KMS_CHECKS.decryptWithout, reason),
    ];
  }
  const decrypt = (EncryptionContext: ContextRecord | undefined) =>
    awsCall(VERIFY_STEP, 'Decrypt', () =>
      clients.kms.send(
        new DecryptCommand({
          KeyId: keyArn,
          CiphertextBlob: blob,
          ...(EncryptionContext ? { EncryptionContext } : {}),
        }),
      ),
    );
  const [decrypted, without] = await Promise.all([settle(decrypt(context)), settle(decrypt(undefined))]);
  const plaintext = allowed.ok ? allowed.value.Plaintext : undefined;
  const decryptRow = !decrypted.ok
    ? fail(
        CLIENT_KMS_CHECKS.decrypt,
        `the application role must decrypt its data key: ${describeAwsError(asAwsError('Decrypt', decrypted.error))}`,
      )
    : sameBytes(decrypted.value.Plaintext, plaintext)
      ? pass(CLIENT_KMS_CHECKS.decrypt, 'KMS returned the same data key')
      : fail(CLIENT_KMS_CHECKS.decrypt, 'KMS returned a different data key');
  return [
    generateRow,
    ...refusalRows,
    decryptRow,
    mustRefuse(CLIENT_KMS_CHECKS.decryptWithout, 'Decrypt', without, decrypted.ok),
  ];
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Only KMS's AccessDeniedException counts (refusal-rule.ts). A refusal proves the context
 * condition only if the same caller's call with the right context succeeded.
 */
function mustRefuse(
  check: string,
  operation: string,
  result: Settled<unknown>,
  allowedCallSucceeded: boolean,
): VerificationCheck {
  if (result.ok) return fail(check, `KMS answered: the key policy does not require the context`);
  const error = asAwsError(operation, result.error);
  const detail = describeAwsError(error, false);
  if (!isKmsDirectRefusal(error.errorName, error.httpStatus))
    return fail(check, `not a refusal (only AccessDeniedException, HTTP 400 counts): ${detail}`);
  return allowedCallSucceeded
    ? pass(check, detail)
    : fail(check, `${detail}; but the call with the right context failed too, so this proves nothing`);
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && Buffer.from(a).equals(Buffer.from(b));
}

/** From a seat that is not an application role's: the rows, not run, with the command that runs them. */
export function clientSideNotRun(target: VerifyTarget, command: string): VerificationCheck[] {
  if (target.scheme === 'client-app-key') return [notRun(CLIENT_APP_KEY_CHECK, CLIENT_APP_KEY_DETAIL)];
  return clientSideCheckNames(target).map((name) =>
    notRun(name, `not run: needs an application role's credentials; run: ${command}`),
  );
}
