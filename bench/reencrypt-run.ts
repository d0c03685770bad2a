/*
 * The body of bench/reencrypt.mjs (run that, not this). As `--worker` it is the measured
 * process: one reencryptBucket run, printing its time, outcome and peak RSS as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { reencryptBucket } from '../src/reencrypt/index.js';
import { runPool } from '../src/scan/pool.js';
import { startMoto } from '../test/helpers/moto.js';

const REGION = 'eu-west-1';

function flag(name: string, env: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : (process.env[env] ?? fallback);
}

interface WorkerResult {
  ms: number;
  done: number;
  skipped: number;
  failed: number;
  maxRssMb: number;
  /** Memory runs only: live heap after a forced GC, every 2,000 objects. */
  liveHeapMb?: number[];
}

async function worker(): Promise<void> {
  const [endpoint, bucket, keyArn, concurrency] = process.argv.slice(process.argv.indexOf('--worker') + 1);
  const s3 = new S3Client({ region: REGION, endpoint, forcePathStyle: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ceb-bench-cp-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveHeapMb: number[] = [];
  let seen = 0;
  const started = performance.now();
  const report = await reencryptBucket(
    {
      bucket: bucket ?? '',
      keyArn: keyArn ?? '',
      concurrency: Number(concurrency),
      checkpointPath: join(scratch, 'cp.json'),
      onObject: () => {
        seen += 1;
        if (gc && seen % 2000 === 0) {
          gc();
          liveHeapMb.push(process.memoryUsage().heapUsed / 1e6);
        }
      },
    },
    { s3 },
  );
  const ms = performance.now() - started;
  rmSync(scratch, { recursive: true, force: true });
  const skipped = Object.values(report.skipped).reduce((sum, tally) => sum + tally.count, 0);
  const result: WorkerResult = {
    ms,
    done: report.done.count,
    skipped,
    failed: report.failed.length,
    // ru_maxrss: the high-water mark of the resident set, in kilobytes on Linux.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(gc ? { liveHeapMb } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  s3.destroy();
}

function runWorker(
  env: Record<string, string>,
  args: string[],
  nodeFlags: string[] = [],
): Promise<WorkerResult & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--no-warnings', ...nodeFlags, process.argv[1] ?? '', '--worker', ...args],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`));
      else
        resolve({
          ...(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as WorkerResult),
          wallMs: performance.now() - started,
        });
    });
  });
}

/**
 * Never spawnSync here: moto's log is read by this process's event loop (test/helpers/moto.ts),
 * and a blocked loop fills the pipe until moto itself stops answering.
 */
function runCli(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('aws', args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    child.on('exit', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`aws ${args.join(' ')} exited with ${code}: ${errors}`));
    });
  });
}

async function main(): Promise<void> {
  const objects = Number(flag('objects', 'BENCH_OBJECTS', '2000'));
  const memorySizes = flag('memory', 'BENCH_MEMORY', '2000,20000').split(',').map(Number).filter(Boolean);
  const sweep = flag('concurrency', 'BENCH_CONCURRENCY', '4,8,16,32,64')
    .split(',')
    .map(Number)
    .filter(Boolean);
  const moto = await startMoto();
  const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true });
  const kms = new KMSClient({ region: REGION, endpoint: moto.endpoint });
  let buckets = 0;
  try {
    for (const [name, value] of Object.entries(moto.env)) process.env[name] = value;
    const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata?.Arn ?? '';

    /** A new bucket holding `count` unencrypted 1 KiB objects under a few prefixes: the same data every time. */
    const freshBucket = async (count: number): Promise<string> => {
      const bucket = `bench-reencrypt-${++buckets}`;
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
      const body = Buffer.alloc(1024, 'x');
      const keys = (async function* () {
        for (let index = 0; index < count; index += 1)
          yield `prefix-${index % 10}/object-${String(index).padStart(6, '0')}.txt`;
      })();
      await runPool(keys, { concurrency: 64 }, async (key) => {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }),
        );
      });
      return bucket;
    };
    const ours = async (count: number, concurrency: number, nodeFlags: string[] = []) => {
      const bucket = await freshBucket(count);
      const result = await runWorker(
        moto.env,
        [moto.endpoint, bucket, keyArn, String(concurrency)],
        nodeFlags,
      );
      if (result.done !== count) throw new Error(`ours re-encrypted ${result.done} of ${count}`);
      return result;
    };
    const rate = (count: number, ms: number) => count / (ms / 1000);
    const fmt = (value: number) => value.toFixed(0).padStart(6);

    console.log(`moto at ${moto.endpoint}; ${objects} objects of 1 KiB; node ${process.version}`);
    console.log('\nconcurrency sweep (ours, objects/s, wall time of the process incl. start-up):');
    const sweepResults: { concurrency: number; perSecond: number }[] = [];
    for (const concurrency of sweep) {
      const result = await ours(objects, concurrency);
      const perSecond = rate(objects, result.wallMs);
      sweepResults.push({ concurrency, perSecond });
      console.log(
        `  ${String(concurrency).padStart(3)}: ${fmt(perSecond)} objects/s  (${(result.wallMs / 1000).toFixed(2)} s)`,
      );
    }

    const cliArgs = (bucket: string) => [
      's3',
      'cp',
      `s3://${bucket}/`,
      `s3://${bucket}/`,
      '--recursive',
      '--sse',
      'aws:kms',
      '--sse-kms-key-id',
      keyArn,
      '--only-show-errors',
    ];
    console.log('\nours vs aws CLI on fresh copies of the same data (wall time, process start-up included):');
    const mineBucket = await freshBucket(objects);
    const mine = await runWorker(moto.env, [moto.endpoint, mineBucket, keyArn, '32']);
    const cliBucket = await freshBucket(objects);
    const cliMs = await runCli(cliArgs(cliBucket), moto.env);
    const line = (label: string, count: number, ms: number, how: string) =>
      console.log(
        `  ${label.padEnd(24)} ${fmt(rate(count, ms))} objects/s  (${(ms / 1000).toFixed(2)} s, ${how})`,
      );
    line(
      'ours (concurrency 32):',
      objects,
      mine.wallMs,
      `${mine.done} re-encrypted: HeadObject + CopyObject each`,
    );
    line('aws s3 cp --recursive:', objects, cliMs, 'CopyObject each, 10 threads');
    console.log(`  ratio: ${(rate(objects, mine.wallMs) / rate(objects, cliMs)).toFixed(2)}x`);

    console.log('\nthe same command again, on those buckets (now all on the key):');
    const mineAgain = await runWorker(moto.env, [moto.endpoint, mineBucket, keyArn, '32']);
    const cliAgainMs = await runCli(cliArgs(cliBucket), moto.env);
    line('ours:', objects, mineAgain.wallMs, `${mineAgain.done} copied: HeadObject only`);
    line('aws s3 cp --recursive:', objects, cliAgainMs, `all ${objects} copied again`);
    console.log(`  ratio: ${(rate(objects, mineAgain.wallMs) / rate(objects, cliAgainMs)).toFixed(2)}x`);

    console.log('\nwhat moto itself serves (Node client, concurrency 32, one request type at a time):');
    const calibration = await freshBucket(1000);
    const keysOf = async function* () {
      for (let index = 0; index < 1000; index += 1)
        yield `prefix-${index % 10}/object-${String(index).padStart(6, '0')}.txt`;
    };
    for (const [name, send] of [
      ['HeadObject', (key: string) => s3.send(new HeadObjectCommand({ Bucket: calibration, Key: key }))],
      [
        'CopyObject',
        (key: string) =>
          s3.send(
            new CopyObjectCommand({
              Bucket: calibration,
              Key: key,
              CopySource: `${calibration}/${key}`,
              MetadataDirective: 'COPY',
              ServerSideEncryption: 'aws:kms',
              SSEKMSKeyId: keyArn,
            }),
          ),
      ],
    ] as const) {
      const started = performance.now();
      await runPool(keysOf(), { concurrency: 32 }, async (key) => {
        await send(key);
      });
      console.log(`  ${name.padEnd(10)} ${fmt(rate(1000, performance.now() - started))} requests/s`);
    }

    console.log('\nmemory of our process, concurrency 32:');
    console.log(
      '  peak RSS: ru_maxrss of a run as above; live heap: after a forced GC every 2,000 objects, first -> last',
    );
    for (const count of memorySizes) {
      const plain = await ours(count, 32);
      const sampled = await ours(count, 32, ['--expose-gc']);
      const heap = sampled.liveHeapMb ?? [];
      const first = heap[0]?.toFixed(1) ?? '-';
      const last = heap.at(-1)?.toFixed(1) ?? '-';
      console.log(
        `  ${String(count).padStart(6)} objects: ${plain.maxRssMb.toFixed(0)} MB peak RSS, live heap ${first} -> ${last} MB, ${fmt(rate(count, plain.wallMs))} objects/s`,
      );
    }
  } finally {
    s3.destroy();
    kms.destroy();
    await moto.stop();
  }
}

if (process.argv.includes('--worker')) await worker();
else await main();
