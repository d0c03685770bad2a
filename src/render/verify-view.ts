import { layerAlgorithm, schemeTraits } from '../plan/schemes.js';
import type { Plan } from '../types.js';
import {
  CLEANUP_CHECK,
  CLIENT_APP_KEY_CHECK,
  CLIENT_APP_KEY_DETAIL,
  CLIENT_KMS_CHECKS,
  clientKmsContext,
  clientKmsRefusedContexts,
  compliantEncryption,
  MISSING_KEY_HTTP_STATUS,
  READ_BACK_CHECKS,
  refusalProbes,
  SSE_C_KEY_FIELD,
  SSE_C_READ_CHECKS,
  sseCReadCheckNames,
  TEST_OBJECT_BODY,
  TEST_OBJECT_PREFIX,
  uploadCheckName,
} from '../verify/check-definitions.js';
import { OBJECT_CHECKS, objectCheckNames } from '../verify/object-checks.js';
import {
  KMS_DIRECT_REFUSAL_ERROR_CODE,
  KMS_DIRECT_REFUSAL_HTTP_STATUS,
  KMS_REFUSAL_PATTERN,
  REFUSAL_ERROR_CODE,
  REFUSAL_HTTP_STATUS,
} from '../verify/refusal-rule.js';
import type { VerifyTarget } from '../verify/verify-target.js';
import { shellQuote } from './shell-quote.js';
import { encodeView, type Verbatim, verbatim } from './view-values.js';

/*
 * verify.sh is the TypeScript verifier's application seat, rendered from its definitions: the
 * check names, the uploads (the compliant one and each refusal probe, as the verifier builds
 * them), the object prefix and what counts as a refusal (refusal-rule.ts). The script only
 * runs the calls and compares; it decides no rule of its own.
 */

/** How each upload field of the SDK request is spelt on `aws s3api put-object`. */
const PUT_OBJECT_FLAGS: Record<string, string> = {
  ServerSideEncryption: '--server-side-encryption',
  SSEKMSKeyId: '--ssekms-key-id',
  SSECustomerAlgorithm: '--sse-customer-algorithm',
  SSECustomerKey: '--sse-customer-key',
};

/** Stands for the key's ARN at render time; for a new key, verify.sh learns the ARN at run time. */
const RUNTIME_KEY_ID = 'RUNTIME-KEY-ARN';

const sseC = (target: VerifyTarget) => schemeTraits(target.scheme).bucketLayer === 'sse-c';

/** The verifier's target as verify.sh sees it: an application role, the plan's bucket and key. */
function targetOf(plan: Plan): VerifyTarget {
  const { bucket, region, partition, accountId } = plan.config;
  const { key } = plan.desired;
  const { scheme } = plan.config;
  if (!key) return { bucket, region, scheme, seat: 'application' };
  return {
    bucket,
    region,
    scheme,
    seat: 'application',
    keyArn:
      key.kind === 'existing' ? key.arn : `arn:${partition}:kms:${region}:${accountId}:key/${RUNTIME_KEY_ID}`,
    ...(key.kind === 'new' ? { rotationDays: key.rotationDays } : {}),
  };
}

/**
 * The put-object flags for one upload of the verifier. The key's ARN becomes "$key_arn" (the
 * script resolves it); an SSE-C key becomes "$SSE_C_KEY": the verifier makes up a throwaway
 * one, and the aws CLI wants the raw 32 bytes where the SDK takes base64.
 */
function putObjectArguments(target: VerifyTarget, encryption: Record<string, unknown>): Verbatim {
  const words = Object.entries(encryption).flatMap(([field, value]) => {
    const flag = PUT_OBJECT_FLAGS[field];
    if (flag === undefined || typeof value !== 'string') {
      throw new Error(`verify.sh cannot send the upload field ${field}: add it to PUT_OBJECT_FLAGS`);
    }
    // The SSE-C scheme's run key is a private file; the other schemes' refused probe a string.
    if (field === SSE_C_KEY_FIELD) return [flag, sseC(target) ? '"fileb://$sse_c_key_file"' : '"$SSE_C_KEY"'];
    return [flag, value === target.keyArn ? '"$key_arn"' : shellQuote(value)];
  });
  return verbatim(words.join(' '));
}

export function verifyView(plan: Plan) {
  const target = targetOf(plan);
  const { key } = plan.desired;
  const newKey = key?.kind === 'new' ? key : undefined;
  const names = [
    uploadCheckName(target),
    ...objectCheckNames(target),
    ...(sseC(target) ? sseCReadCheckNames() : []),
    ...refusalProbes(target).map((probe) => probe.check),
    ...clientSideNames(target),
    ...Object.values(READ_BACK_CHECKS),
    CLEANUP_CHECK,
  ];
  return encodeView(
    {
      region: plan.config.region,
      bucket: plan.config.bucket,
      kms: key !== undefined,
      sseC: sseC(target),
      missingKeyHttpStatus: String(MISSING_KEY_HTTP_STATUS),
      sseCReadChecks: { ...SSE_C_READ_CHECKS },
      newKey: newKey !== undefined,
      existingKey: key?.kind === 'existing',
      keyAlias: newKey?.alias ?? '',
      existingKeyArn: key?.kind === 'existing' ? key.arn : '',
      rotationDays: newKey ? String(newKey.rotationDays) : '',
      testObjectPrefix: TEST_OBJECT_PREFIX,
      testObjectBody: TEST_OBJECT_BODY,
      refusalErrorCode: REFUSAL_ERROR_CODE,
      refusalHttpStatus: String(REFUSAL_HTTP_STATUS),
      kmsRefusalPattern: KMS_REFUSAL_PATTERN,
      checkWidth: Math.max(...names.map((name) => name.length)),
      uploadCheck: uploadCheckName(target),
      compliantArguments: putObjectArguments(target, compliantEncryption(target)),
      expectedAlgorithm: layerAlgorithm(schemeTraits(target.scheme).bucketLayer),
      objectChecks: { ...OBJECT_CHECKS },
      probes: refusalProbes(target).map((probe) => ({
        check: probe.check,
        suffix: probe.suffix,
        arguments: putObjectArguments(target, probe.encryption),
      })),
      readBackChecks: { ...READ_BACK_CHECKS },
      cleanupCheck: CLEANUP_CHECK,
      publicAccessFlags: publicAccessFlags(plan),
      ...clientSideView(target),
    },
    shellQuote,
  );
}

/** The public-access-block settings the plan turns on, which the read-back expects on. */
function publicAccessFlags(plan: Plan) {
  const block = plan.desired.bucket.publicAccessBlock;
  const names = Object.entries(block).flatMap(([name, on]) => (on === true ? [name] : []));
  if (names.some((name) => !/^[A-Za-z]+$/.test(name)))
    throw new Error(`odd public-access-block field in ${names}`);
  return { names, query: verbatim(names.join(',')) };
}

/** Stands for this run's test object key in a rendered encryption context; verify.sh puts the key in. */
export const RUNTIME_OBJECT_KEY = 'RUNTIME-OBJECT-KEY';

function clientSideNames(target: VerifyTarget): string[] {
  if (target.scheme === 'client-app-key') return [CLIENT_APP_KEY_CHECK];
  if (target.scheme !== 'client-kms') return [];
  return [
    ...Object.values(CLIENT_KMS_CHECKS),
    ...clientKmsRefusedContexts(target.bucket, '').map((probe) => probe.check),
  ];
}

/**
 * The client-side checks of the TypeScript verifier (client-side-checks.ts), from the same
 * definitions: each encryption context as the JSON `--encryption-context` takes (aws CLI v1 and
 * v2 alike), with the run's object key left for the script to fill in; '' sends no context.
 */
function clientSideView(target: VerifyTarget) {
  const json = (context: Record<string, string> | undefined) => (context ? JSON.stringify(context) : '');
  return {
    clientKms: target.scheme === 'client-kms',
    clientAppKey: target.scheme === 'client-app-key',
    kmsDirectRefusalErrorCode: KMS_DIRECT_REFUSAL_ERROR_CODE,
    kmsDirectRefusalHttpStatus: String(KMS_DIRECT_REFUSAL_HTTP_STATUS),
    runtimeObjectKey: RUNTIME_OBJECT_KEY,
    clientKmsChecks: { ...CLIENT_KMS_CHECKS },
    clientKmsContext: json(clientKmsContext(target.bucket, RUNTIME_OBJECT_KEY)),
    clientKmsProbes: clientKmsRefusedContexts(target.bucket, RUNTIME_OBJECT_KEY).map((probe) => ({
      check: probe.check,
      context: json(probe.context),
    })),
    clientAppKeyCheck: CLIENT_APP_KEY_CHECK,
    clientAppKeyDetail: CLIENT_APP_KEY_DETAIL,
  };
}
