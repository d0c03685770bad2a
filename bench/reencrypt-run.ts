/*
 * The body of bench/reencrypt.mjs (run that, not this). As `--worker` it is the measured
 * process: one reencryptBucket run, printing its time, outcome and peak RSS as JSON.
 *
 * Against moto directly (not the stand-in, whose authorization costs CPU of its own), launched
 * through test/standin/moto-launcher.py so UpdateObjectEncryption is honest, behind a latency
 * proxy: a local HTTP proxy that waits a fixed time before forwarding each request, which
 * turns "how many requests, how many at once" into wall time as a network does
 * (bench/latency-proxy.ts). The proxy also counts the requests per object on each path.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_LANES } from '../src/reencrypt/adaptive-lanes.js';
import { reencryptBucket } from '../src/reencrypt/index.js';
import type { ReencryptMethod } from '../src/reencrypt/types.js';
import { runPool } from '../src/scan/pool.js';
import { type LatencyProxy, latencyProxy, listen } from './latency-proxy.js';
import { startNullS3 } from './null-s3.js';

const REGION = 'eu-west-1';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_DEFAULT_REGION: REGION,
  AWS_REGION: REGION,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
  AWS_EC2_METADATA_DISABLED: 'true',
};

function flag(name: string, env: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : (process.env[env] ?? fallback);
}

interface WorkerResult {
  ms: number;
  done: number;
  failed: number;
  byAction: Record<string, number>;
  maxRssMb: number;
  liveHeapMb?: number[];
}

async function worker(): Promise<void> {
  const [endpoint, bucket, keyArn, method] = process.argv.slice(process.argv.indexOf('--worker') + 1);
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
      method: (method ?? 'update-encryption') as ReencryptMethod,
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
  rmSync(scratch, { recursive: true, force: true });
  const result: WorkerResult = {
    ms: performance.now() - started,
    done: report.done.count,
    failed: report.failed.length,
    byAction: report.done.byAction as Record<string, number>,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(gc ? { liveHeapMb } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  s3.destroy();
}

function runWorker(args: string[], nodeFlags: string[] = []): Promise<WorkerResult & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--no-warnings', ...nodeFlags, process.argv[1] ?? '', '--worker', ...args],
      { env: { ...process.env, ...CREDENTIALS }, stdio: ['ignore', 'pipe', 'inherit'] },
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

/** Never spawnSync here: the proxy lives in this process's event loop. */
function runCli(args: string[], endpoint: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('aws', ['--endpoint-url', endpoint, ...args], {
      env: { ...process.env, ...CREDENTIALS },
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

async function startPatchedMoto(): Promise<{ port: number; child: ChildProcess }> {
  const probe = createServer();
  const port = await listen(probe);
  probe.close();
  const launcher = join(process.cwd(), 'test', 'standin', 'moto-launcher.py');
  const child = spawn('python3', [launcher, '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let tries = 0; tries < 300; tries += 1) {
    const up = await fetch(`http://127.0.0.1:${port}/moto-api/`).then(
      (answer) => answer.ok,
      () => false,
    );
    if (up) return { port, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('moto did not start');
}

const rate = (count: number, ms: number) => count / (ms / 1000);
const perObject = (counts: Record<string, number>, count: number) =>
  Object.entries(counts)
    .filter(([name]) => !name.includes('?versioning') && !name.includes('?ownershipControls'))
    .map(([name, n]) => `${name} ${(n / count).toFixed(3)}`)
    .join(', ');

/** One delay: ours on both paths and the aws CLI, each on a fresh bucket of the same objects. */
async function compare(
  delay: number,
  objects: number,
  keyArn: string,
  proxy: LatencyProxy,
  freshBucket: (encryption: 'sse-s3' | 'none') => Promise<string>,
): Promise<void> {
  console.log(`\n  ${delay} ms per request:`);
  const sseS3 = await freshBucket('sse-s3');
  proxy.take();
  const update = await runWorker([proxy.endpoint, sseS3, keyArn, 'update-encryption']);
  const updateCounts = proxy.take();
  const plain = await freshBucket('none');
  proxy.take();
  const copied = await runWorker([proxy.endpoint, plain, keyArn, 'update-encryption']);
  const copyCounts = proxy.take();
  const cliBucket = await freshBucket('sse-s3');
  proxy.take();
  const cliMs = await runCli(
    [
      's3',
      'cp',
      `s3://${cliBucket}/`,
      `s3://${cliBucket}/`,
      '--recursive',
      '--sse',
      'aws:kms',
      '--sse-kms-key-id',
      keyArn,
      '--only-show-errors',
    ],
    proxy.endpoint,
  );
  const cliCounts = proxy.take();
  const cliRate = rate(objects, cliMs);
  const row = (label: string, ms: number, counts: Record<string, number>, done: string) =>
    console.log(
      `    ${label.padEnd(48)} ${rate(objects, ms).toFixed(0).padStart(5)} objects/s  ${(rate(objects, ms) / cliRate).toFixed(2)}x  (${(ms / 1000).toFixed(1)} s; ${done}; per object: ${perObject(counts, objects)})`,
    );
  row(
    'ours, SSE-S3 objects (UpdateObjectEncryption):',
    update.wallMs,
    updateCounts,
    JSON.stringify(update.byAction),
  );
  row('ours, unencrypted objects (copy path):', copied.wallMs, copyCounts, JSON.stringify(copied.byAction));
  row('aws s3 cp --recursive (defaults):', cliMs, cliCounts, 'CopyObject each');
}

async function main(): Promise<void> {
  const objects = Number(flag('objects', 'BENCH_OBJECTS', '2000'));
  const delays = flag('delays', 'BENCH_DELAYS', '20,80').split(',').map(Number);
  const memorySizes = flag('memory', 'BENCH_MEMORY', '2000,20000').split(',').map(Number).filter(Boolean);
  const moto = await startPatchedMoto();
  const motoEndpoint = `http://127.0.0.1:${moto.port}`;
  const proxy = await latencyProxy(moto.port);
  const s3 = new S3Client({
    region: REGION,
    endpoint: motoEndpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const kms = new KMSClient({
    region: REGION,
    endpoint: motoEndpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  let buckets = 0;
  try {
    const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata?.Arn ?? '';
    /** A new bucket of `count` 1 KiB objects under ten prefixes, seeded straight into moto. */
    const freshBucket = async (count: number, encryption: 'sse-s3' | 'none'): Promise<string> => {
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
      await runPool(keys, { concurrency: 32 }, async (key) => {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ...(encryption === 'sse-s3' ? { ServerSideEncryption: 'AES256' as const } : {}),
          }),
        );
      });
      return bucket;
    };
    const fmt = (value: number) => value.toFixed(0).padStart(5);
    console.log(
      `${objects} objects of 1 KiB; node ${process.version}; lanes adapt (at most ${DEFAULT_MAX_LANES}); aws s3 cp at its defaults (10 threads)`,
    );
    console.log('\nA. patched moto (test/standin/moto-launcher.py) directly, behind the latency proxy:');
    for (const delay of delays) {
      proxy.setDelay(delay);
      await compare(delay, objects, keyArn, proxy, (encryption) => freshBucket(objects, encryption));
    }
    const nullS3 = await startNullS3();
    const nullProxy = await latencyProxy(nullS3.port);
    console.log(
      '\nB. an endpoint that answers at once (bench/null-s3.ts), behind the same proxy: only the network bounds',
    );
    try {
      for (const delay of delays) {
        nullProxy.setDelay(delay);
        await compare(delay, objects, keyArn, nullProxy, async (encryption) => {
          const bucket = `bench-null-${++buckets}`;
          nullS3.fill(bucket, objects, encryption);
          return bucket;
        });
      }
      const unanswered = nullS3.unanswered();
      if (unanswered.length > 0)
        console.log(`  (calls the null endpoint could not answer: ${unanswered.join(', ')})`);
    } finally {
      nullProxy.close();
      nullS3.close();
    }

    proxy.setDelay(0);
    console.log('\nmemory of our process (UpdateObjectEncryption path, moto directly):');
    for (const count of memorySizes) {
      const bucket = await freshBucket(count, 'sse-s3');
      const plain = await runWorker([motoEndpoint, bucket, keyArn, 'update-encryption']);
      const sampled = await runWorker([motoEndpoint, bucket, keyArn, 'update-encryption'], ['--expose-gc']);
      const heap = sampled.liveHeapMb ?? [];
      console.log(
        `  ${String(count).padStart(6)} objects: ${plain.maxRssMb.toFixed(0)} MB peak RSS, live heap after GC ${heap[0]?.toFixed(1) ?? '-'} -> ${heap.at(-1)?.toFixed(1) ?? '-'} MB, ${fmt(rate(count, plain.wallMs))} objects/s`,
      );
    }
  } finally {
    s3.destroy();
    kms.destroy();
    proxy.close();
    moto.child.kill('SIGTERM');
  }
}

if (process.argv.includes('--worker')) await worker();
else await main();
