import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  type GetKeyPolicyCommandOutput,
  GetKeyRotationStatusCommand,
  type GetKeyRotationStatusCommandOutput,
  type KeyMetadata,
  type KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import { awsCall } from '../aws/aws-call.js';
import { AwsError } from '../errors.js';
import { KEY_TAG_KEY } from '../plan/build-plan.js';
import { schemeTraits } from '../plan/schemes.js';
import type { Plan } from '../types.js';
import { storedPolicy } from './policy-json.js';
import { isAccessDenied, mapLimited, readIfExists, softRead, speculative } from './reads.js';
import type { Blocker, FoundKey, KeyRotation } from './state.js';

const STEP = 'discover: KMS key';
const NOT_FOUND = ['NotFoundException'];
const GONE_STATES = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

export interface KeyDiscovery {
  key: FoundKey | undefined;
  /** Every key the tag search found (live or pending deletion), when it ran: the alias named none. */
  tagged?: string[];
  blockers: Blocker[];
  warnings: string[];
}

/**
 * Finds the key an earlier run created: by the plan's alias, else by the tag every created key
 * carries (so a key whose alias step failed is found again, never created twice). An alias
 * that points to somebody else's key is a blocker: putting our key policy on it would take
 * their access away.
 */
export async function discoverKey(kms: KMSClient, plan: Plan): Promise<KeyDiscovery> {
  const result: KeyDiscovery = { key: undefined, blockers: [], warnings: [] };
  const key = plan.config.key;
  if (!schemeTraits(plan.config.scheme).usesKmsKey || !key) return result;
  if (key.kind === 'existing') {
    await checkExistingKey(kms, key.arn, result);
    return result;
  }
  const bucket = plan.config.bucket;
  // The listing is needed only when the alias is missing; asked together with it, and dropped otherwise.
  const listing = speculative(awsCall(STEP, 'ListKeys', () => listKeyIds(kms)));
  const byAlias = await readIfExists(STEP, 'DescribeKey', NOT_FOUND, () =>
    kms.send(new DescribeKeyCommand({ KeyId: key.alias })),
  ).catch(async (error: unknown) => {
    await listing;
    throw error;
  });
  let metadata = byAlias?.KeyMetadata;
  let reads: KeyReads;
  if (metadata) {
    // Whether the key is ours, and its settings, in one round; the settings count only if it is.
    const keyId = metadata.KeyId ?? '';
    const [tags, settings] = await Promise.all([
      awsCall(STEP, 'ListResourceTags', () => listTags(kms, keyId)),
      readKeySettings(kms, keyId),
      listing,
    ]);
    if (!isTaggedFor(tags, bucket)) {
      result.blockers.push({
        field: '--key-alias',
        message: `${key.alias} already points to key ${metadata.Arn}, which create-encrypted-bucket did not create for bucket ${bucket}; choose another --key-alias, or pass --existing-key ${metadata.Arn} to use that key as it is`,
      });
      return result;
    }
    reads = settings;
  } else {
    const found = await findTaggedKey(kms, (await listing)(), bucket, key.alias, result);
    if (!found) return result;
    ({ metadata, reads } = found);
  }
  if (metadata.KeyState !== 'Enabled') {
    result.blockers.push({
      message: `key ${metadata.Arn}, created earlier for bucket ${bucket}, is ${metadata.KeyState}; enable it (or cancel its deletion) and re-run`,
    });
    return result;
  }
  const policy = reads.policy();
  const rotation = reads.rotation();
  if ('denied' in rotation) result.warnings.push(rotation.denied);
  result.key = {
    arn: metadata.Arn ?? '',
    keyId: metadata.KeyId ?? '',
    foundBy: byAlias ? 'alias' : 'tag',
    hasAlias: byAlias !== undefined,
    policy: policy?.Policy ? storedPolicy(policy.Policy) : undefined,
    rotation: 'value' in rotation ? rotationOf(rotation.value) : undefined,
  };
  return result;
}

interface KeyReads {
  policy: () => GetKeyPolicyCommandOutput | undefined;
  rotation: () => { value: GetKeyRotationStatusCommandOutput } | { denied: string };
}

/** The key policy and rotation status, read together; their errors count once the key is ours. */
async function readKeySettings(kms: KMSClient, keyId: string): Promise<KeyReads> {
  const [policy, rotation] = await Promise.all([
    speculative(
      readIfExists(STEP, 'GetKeyPolicy', NOT_FOUND, () =>
        kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
      ),
    ),
    speculative(
      softRead(STEP, 'GetKeyRotationStatus', () =>
        kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })),
      ),
    ),
  ]);
  return { policy, rotation };
}

async function findTaggedKey(
  kms: KMSClient,
  keyIds: string[],
  bucket: string,
  alias: string,
  result: KeyDiscovery,
): Promise<{ metadata: KeyMetadata; reads: KeyReads } | undefined> {
  const tagged = await mapLimited(keyIds, 8, async (keyId) => {
    try {
      return isTaggedFor(await awsCall(STEP, 'ListResourceTags', () => listTags(kms, keyId)), bucket)
        ? keyId
        : undefined;
    } catch (error) {
      // AWS managed keys and keys whose policy shuts us out cannot be ours.
      if (isAccessDenied(error)) return undefined;
      throw error;
    }
  });
  // Rarely more than one: each is described and its settings read in the same round.
  const candidates = await Promise.all(
    tagged
      .filter((keyId): keyId is string => keyId !== undefined)
      .map(async (keyId) => {
        const [answer, reads] = await Promise.all([
          awsCall(STEP, 'DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: keyId }))),
          readKeySettings(kms, keyId),
        ]);
        return { metadata: answer.KeyMetadata, reads };
      }),
  );
  result.tagged = candidates.flatMap((candidate) =>
    candidate.metadata?.Arn ? [candidate.metadata.Arn] : [],
  );
  const live = candidates.filter(
    (candidate): candidate is { metadata: KeyMetadata; reads: KeyReads } =>
      candidate.metadata !== undefined && !GONE_STATES.has(candidate.metadata.KeyState ?? ''),
  );
  if (live.length > 1) {
    result.blockers.push({
      message: `${live.length} keys are tagged ${KEY_TAG_KEY}=${bucket} (${live.map((candidate) => candidate.metadata.Arn).join(', ')}) and none has the alias ${alias}; keep one (aws kms create-alias --alias-name ${alias} --target-key-id <id>), schedule deletion of the others, and re-run`,
    });
    return undefined;
  }
  return live[0];
}

async function checkExistingKey(kms: KMSClient, arn: string, result: KeyDiscovery): Promise<void> {
  try {
    const answer = await awsCall(STEP, 'DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: arn })));
    const state = answer.KeyMetadata?.KeyState;
    if (state !== 'Enabled') {
      result.blockers.push({
        field: '--existing-key',
        message: `key ${arn} is ${state}; S3 cannot encrypt with it`,
      });
    }
  } catch (error) {
    if (isAccessDenied(error)) {
      result.warnings.push(
        `${STEP}: the caller may lack kms:DescribeKey on ${arn}; S3 and the application roles must be allowed to use it.`,
      );
    } else if (error instanceof AwsError && NOT_FOUND.includes(error.errorName)) {
      result.blockers.push({
        field: '--existing-key',
        message: `key ${arn} does not exist (or is in another region)`,
      });
    } else {
      throw error;
    }
  }
}

async function listKeyIds(kms: KMSClient): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }));
    for (const key of page.Keys ?? []) if (key.KeyId) ids.push(key.KeyId);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return ids;
}

async function listTags(kms: KMSClient, keyId: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(
      new ListResourceTagsCommand({ KeyId: keyId, ...(marker ? { Marker: marker } : {}) }),
    );
    tags.push(...(page.Tags ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return tags;
}

function isTaggedFor(tags: Tag[], bucket: string): boolean {
  return tags.some((tag) => tag.TagKey === KEY_TAG_KEY && tag.TagValue === bucket);
}

function rotationOf(answer: { KeyRotationEnabled?: boolean; RotationPeriodInDays?: number }): KeyRotation {
  return { enabled: answer.KeyRotationEnabled === true, periodDays: answer.RotationPeriodInDays };
}
