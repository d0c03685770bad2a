import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ConfigError } from '../errors.js';
import { shellQuote } from '../render/shell-quote.js';
import { listObjects } from '../scan/list-objects.js';
import { AdaptiveLanes } from './adaptive-lanes.js';
import { runBatchJobs } from './batch/run-batch-jobs.js';
import { ACL_NOTE, COPY_NOTE, KMS_DENIED_NOTE, readBucketFacts, versioningNote } from './bucket-notes.js';
import { loadCheckpoint, newCheckpoint, removeCheckpoint, saveCheckpoint } from './checkpoint.js';
import { DEFAULT_BATCH_THRESHOLD } from './defaults.js';
import { FirstWriteGate } from './first-write.js';
import { parseKeyArn } from './key-arn.js';
import { reencryptNoncurrentVersions, versionsNote } from './noncurrent-versions.js';
import { COPY_OBJECT_LIMIT } from './object-requests.js';
import { PathChoice } from './path-choice.js';
import { type ObjectContext, probeUpdateEncryption } from './process-object.js';
import { runLoop } from './run-loop.js';
import type { ReencryptClients, ReencryptOptions, ReencryptReport } from './types.js';
import { UpdateEncryption } from './update-encryption.js';

/**
 * Re-encrypts every object of a bucket in place with one KMS key: objects already on it are
 * never touched, archived and SSE-C ones are skipped with a reason. Loops with a bounded pool
 * and a checkpoint (run the same command again to continue or retry failures), or, past
 * `batchThreshold` objects, hands the bucket to S3 Batch Operations.
 */
export async function reencryptBucket(
  options: ReencryptOptions,
  clients: ReencryptClients,
): Promise<ReencryptReport> {
  const started = Date.now();
  const key = parseKeyArn(options.keyArn);
  if (!key) {
    throw new ConfigError(`${options.keyArn} is not a full KMS key ARN`, {
      field: '--key',
      hint: 'pass arn:aws:kms:REGION:ACCOUNT:key/KEY-ID; an alias or a key id would resolve in the caller’s account',
    });
  }
  const dryRun = options.dryRun === true;
  const saved = dryRun
    ? undefined
    : await loadCheckpoint(options.checkpointPath, options.bucket, options.keyArn);
  const checkpoint = saved ?? newCheckpoint(options.bucket, options.keyArn);
  const facts = await readBucketFacts(clients.s3, options.bucket);
  const notes: string[] = [];
  if (facts.versioned && !options.allVersions) notes.push(versioningNote(options.bucket));

  const base = {
    bucket: options.bucket,
    keyArn: options.keyArn,
    dryRun,
    finishedBefore: saved?.totals.finished ?? 0,
    checkpointPath: options.checkpointPath,
  };

  if (saved?.batch?.complete) {
    notes.push(
      `Batch Operations jobs were already created for this bucket (${saved.batch.jobIds.join(', ')}); nothing new was started. Follow each with \`reencrypt --job ID\`, or delete ${options.checkpointPath} to start over.`,
    );
    return {
      ...base,
      ...noObjects,
      mode: 'batch',
      status: 'incomplete',
      notes,
      checkpointKept: true,
      durationMs: Date.now() - started,
    };
  }
  // A batch run that stopped half-way goes on as a batch run, with the same manifest names.
  const size = saved ? { batch: saved.batch !== undefined } : await measure(options, clients, started);
  if (size.batch) {
    if (!options.roleArn) {
      throw new ConfigError('S3 Batch Operations jobs run as the re-encryption role: name it', {
        field: '--reencrypt-role',
        hint: 'pass --reencrypt-role ROLE (the role given to --reencrypt-role at setup); it is assumed for this command and the jobs run as it',
      });
    }
    const runId = saved?.batch?.runId ?? checkpoint.createdAt.replace(/[-:]/g, '').replace(/\..*$/, '');
    if (!dryRun) {
      // Saved first: a re-run after a failure reuses the run id, hence the client request
      // tokens, and CreateJob returns the jobs already created instead of new ones.
      checkpoint.batch = { runId, jobIds: [], manifests: [], complete: false };
      await saveCheckpoint(options.checkpointPath, checkpoint);
    }
    const result = await runBatchJobs(
      {
        bucket: options.bucket,
        keyArn: options.keyArn,
        accountId: await callerAccount(clients, key.accountId),
        partition: key.partition,
        region: key.region,
        roleArn: options.roleArn,
        dryRun,
        runId,
      },
      clients,
    );
    if (!dryRun) {
      checkpoint.batch = {
        runId,
        jobIds: result.jobs.map((job) => job.jobId ?? ''),
        manifests: [],
        complete: true,
      };
      await saveCheckpoint(options.checkpointPath, checkpoint);
    }
    return {
      ...base,
      ...noObjects,
      mode: 'batch',
      status: 'incomplete',
      aborted: false,
      notes,
      checkpointKept: !dryRun,
      batch: result,
      durationMs: Date.now() - started,
    };
  }

  const lanes = new AdaptiveLanes({
    ...(options.concurrency === undefined ? {} : { initial: options.concurrency, max: options.concurrency }),
    ...(options.requestsPerSecond === undefined ? {} : { perSecond: options.requestsPerSecond }),
  });
  const caller = dryRun ? undefined : await callerArn(clients);
  const written = { count: 0 };
  const update = new UpdateEncryption(clients.s3, useUpdateEncryption(options, clients), {
    caller,
    lanes,
    written,
  });
  const context: ObjectContext = {
    s3: clients.s3,
    bucket: options.bucket,
    keyArn: options.keyArn,
    dryRun,
    update,
    copyGate: new FirstWriteGate(),
    paths: new PathChoice(),
    lanes,
    caller,
    written,
    inspectedEarly: new Map(),
    multipartThreshold: Math.min(options.multipartThreshold ?? COPY_OBJECT_LIMIT, COPY_OBJECT_LIMIT),
    partSize: options.partSize,
    signal: options.signal,
  };
  if (!checkpoint.listing.complete) {
    await probeUpdateEncryption(
      context,
      listObjects(clients.s3, {
        bucket: options.bucket,
        startAfter: checkpoint.listing.after,
        step: 'reencrypt',
      }),
    );
  }
  const { aborted } = await runLoop(context, checkpoint, {
    checkpointPath: options.checkpointPath,
    persist: !dryRun,
    expected: options.expectedObjects ?? size.counted,
    signal: options.signal,
    onProgress: options.onProgress,
    onObject: options.onObject,
  });

  // Not kept in the checkpoint (its retries are by key): a re-run goes over the versions again.
  const versionFailures: { key: string; error: string }[] = [];
  if (options.allVersions && !aborted) {
    const versions = await reencryptNoncurrentVersions(context, options.signal);
    notes.push(versionsNote(options.bucket, versions));
    for (const failure of versions.failed)
      versionFailures.push({ key: `${failure.key} (version ${failure.versionId})`, error: failure.error });
  }
  const done = checkpoint.totals.done;
  const copied = (done.byAction.copy ?? 0) + (done.byAction['multipart-copy'] ?? 0);
  notes.push(...update.notes);
  if (copied > 0 && !dryRun) notes.push(COPY_NOTE);
  if (copied > 0 && !facts.aclsDisabled) notes.push(ACL_NOTE);
  if (
    checkpoint.failed.some(
      (failure) => /kms/i.test(failure.error) && /denied|not authorized/i.test(failure.error),
    )
  ) {
    notes.push(KMS_DENIED_NOTE);
  }
  const complete = !aborted && checkpoint.failed.length === 0 && versionFailures.length === 0;
  if (!dryRun && complete) await removeCheckpoint(options.checkpointPath);
  return {
    ...base,
    mode: 'loop',
    status: complete ? 'complete' : 'incomplete',
    aborted,
    done,
    skipped: checkpoint.totals.skipped,
    failed: [...checkpoint.failed, ...versionFailures],
    method: update.available ? 'update-encryption' : 'copy',
    notes,
    checkpointKept: !dryRun && !complete,
    ...(!dryRun && !complete ? { retryCommand: retryCommand(options) } : {}),
    durationMs: Date.now() - started,
  };
}

/**
 * The same command: with the checkpoint it continues the listing and retries only the
 * failures. The region is the key's (SSE-KMS keys live in the bucket's region); the CLI
 * appends any --profile or --endpoint-url of its own.
 */
export function retryCommand(
  options: Pick<ReencryptOptions, 'bucket' | 'keyArn' | 'checkpointPath'>,
): string {
  const region = parseKeyArn(options.keyArn)?.region;
  return [
    'npx create-encrypted-bucket reencrypt',
    `--bucket ${shellQuote(options.bucket)}`,
    ...(region ? [`--region ${shellQuote(region)}`] : []),
    `--key ${shellQuote(options.keyArn)}`,
    `--checkpoint ${shellQuote(options.checkpointPath)}`,
  ].join(' ');
}

function useUpdateEncryption(options: ReencryptOptions, clients: ReencryptClients): boolean {
  const method = options.method ?? 'auto';
  if (method !== 'auto') return method === 'update-encryption';
  // Only AWS itself is known to implement it; a custom endpoint (moto, LocalStack, MinIO) gets copies.
  return (clients.s3.config as { isCustomEndpoint?: boolean }).isCustomEndpoint !== true;
}

const idle = { listed: 0, processed: 0, bytes: 0, done: 0, skipped: 0, failed: 0, finishedBefore: 0 };

/** In batch mode this run re-encrypts nothing itself: the jobs do, once confirmed. */
const noObjects: Pick<ReencryptReport, 'aborted' | 'done' | 'skipped' | 'failed' | 'method'> = {
  aborted: false,
  done: { count: 0, bytes: 0, byAction: {}, from: {} },
  skipped: {},
  failed: [],
  method: 'copy',
};

/**
 * Loop or Batch Operations? Counting costs one LIST per 1,000 objects, and stops at the
 * threshold: cheap next to the two requests per object the loop makes.
 */
async function measure(
  options: ReencryptOptions,
  clients: ReencryptClients,
  started: number,
): Promise<{ batch: boolean; counted?: number }> {
  if (options.batchOperations) return { batch: true };
  const threshold = options.batchThreshold ?? DEFAULT_BATCH_THRESHOLD;
  if (options.expectedObjects !== undefined) return { batch: options.expectedObjects > threshold };
  let counted = 0;
  for await (const _object of listObjects(clients.s3, { bucket: options.bucket, step: 'reencrypt' })) {
    counted += 1;
    if (counted > threshold) return { batch: true };
    if (options.signal?.aborted) break;
    if (counted % 1000 === 0) {
      options.onProgress?.({ ...idle, phase: 'counting', listed: counted, elapsedMs: Date.now() - started });
    }
  }
  return { batch: false, counted };
}

async function callerArn(clients: ReencryptClients): Promise<string | undefined> {
  if (!clients.sts) return undefined;
  const identity = await clients.sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  return identity?.Arn;
}

async function callerAccount(clients: ReencryptClients, fallback: string): Promise<string> {
  if (!clients.sts) return fallback;
  const identity = await clients.sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  return identity?.Account ?? fallback;
}
