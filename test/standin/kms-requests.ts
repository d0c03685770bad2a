import type { PolicyDocument } from '../../src/types.js';
import type { MotoState } from './moto-state.js';
import type { AuthorizationRequest, Caller, RequestContext } from './types.js';

/** KMS operations whose resource is "*" (KMS permissions reference). */
const ACCOUNT_WIDE = new Set([
  'CreateKey',
  'ListKeys',
  'ListAliases',
  'GenerateRandom',
  'ListRetirableGrants',
]);
const ALIAS_OPERATIONS = new Set(['CreateAlias', 'UpdateAlias', 'DeleteAlias']);

export interface KmsJudgement {
  operation: string;
  before: AuthorizationRequest[];
  /** A new key policy that must pass KMS's lockout safety check before it is set. */
  newPolicy?: { policy: PolicyDocument; resource: string };
  /** Decrypt without KeyId: the key is only known from moto's answer. */
  afterResponse?: (responseBody: Record<string, unknown>) => Promise<AuthorizationRequest[]>;
}

export async function judgeKms(
  target: string,
  body: Record<string, unknown>,
  caller: Caller,
  state: MotoState,
  region: string,
  secure: boolean,
): Promise<KmsJudgement> {
  const operation = target.replace(/^TrentService\./, '');
  const action = `kms:${operation}`;
  const context = kmsContext(operation, body, caller, secure);
  const keyArnPrefix = `arn:aws:kms:${region}:${caller.accountId}`;
  // A key that does not exist is KMS's NotFoundException, whoever asks: moto answers it.
  const onKey = async (keyId: string, actionName = action): Promise<AuthorizationRequest[]> => {
    const key = await state.key(keyId, region);
    if (!key) return [];
    return [
      {
        action: actionName,
        resource: key.arn,
        context,
        ...(key.policy ? { resourcePolicy: key.policy } : {}),
        service: 'kms',
      },
    ];
  };
  const judgement: KmsJudgement = { operation, before: [] };

  if (ACCOUNT_WIDE.has(operation)) {
    judgement.before.push({ action, resource: '*', context, service: 'kms' });
  } else if (ALIAS_OPERATIONS.has(operation)) {
    // Alias operations are authorized on the alias (identity policy only) and on the key.
    const alias = String(body.AliasName ?? '');
    judgement.before.push({ action, resource: `${keyArnPrefix}:${alias}`, context, service: 'kms' });
    const keyId = body.TargetKeyId;
    if (typeof keyId === 'string') judgement.before.push(...(await onKey(keyId)));
    else {
      const current = await state.key(alias, region);
      if (current) judgement.before.push(...(await onKey(current.arn)));
    }
  } else if (typeof body.KeyId === 'string') {
    judgement.before.push(...(await onKey(body.KeyId)));
  } else if (operation === 'Decrypt') {
    judgement.afterResponse = (answer) => onKey(String(answer.KeyId ?? ''));
  } else {
    judgement.before.push({ action, resource: '*', context, service: 'kms' });
  }

  const policy = body.Policy;
  if ((operation === 'CreateKey' || operation === 'PutKeyPolicy') && typeof policy === 'string') {
    if (body.BypassPolicyLockoutSafetyCheck !== true) {
      const resource =
        operation === 'CreateKey'
          ? `${keyArnPrefix}:key/00000000-0000-0000-0000-000000000000`
          : (judgement.before[0]?.resource ?? '*');
      judgement.newPolicy = { policy: JSON.parse(policy) as PolicyDocument, resource };
    }
  }
  return judgement;
}

function kmsContext(
  operation: string,
  body: Record<string, unknown>,
  caller: Caller,
  secure: boolean,
): RequestContext {
  const context: RequestContext = {
    'kms:CallerAccount': caller.accountId,
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:SecureTransport': secure ? 'true' : 'false',
  };
  const encryptionContext = body.EncryptionContext;
  if (encryptionContext && typeof encryptionContext === 'object') {
    const entries = Object.entries(encryptionContext as Record<string, string>);
    for (const [name, value] of entries) context[`kms:EncryptionContext:${name}`] = value;
    context['kms:EncryptionContextKeys'] = entries.map(([name]) => name);
  }
  if (operation === 'CreateGrant') {
    // Set to true only when an AWS service creates the grant for the caller (KMS condition keys).
    context['kms:GrantIsForAWSResource'] = 'false';
    if (Array.isArray(body.Operations)) context['kms:GrantOperations'] = body.Operations.map(String);
    if (typeof body.GranteePrincipal === 'string') context['kms:GranteePrincipal'] = body.GranteePrincipal;
  }
  if (operation === 'CreateKey' || operation === 'PutKeyPolicy') {
    context['kms:BypassPolicyLockoutSafetyCheck'] =
      body.BypassPolicyLockoutSafetyCheck === true ? 'true' : 'false';
  }
  return context;
}
