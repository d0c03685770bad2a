#!/usr/bin/env node
/*
 * Re-encryption speed and memory against moto: ours vs the aws CLI.
 *
 *   node bench/reencrypt.mjs                       # 2,000 objects, sweep, CLI comparison, memory at 2,000 and 20,000
 *   node bench/reencrypt.mjs --objects 5000 --memory 2000,20000 --concurrency 8,16,32,64
 *   BENCH_OBJECTS=500 BENCH_MEMORY=500 node bench/reencrypt.mjs   # a quick look
 *
 * Seeds a moto_server (started here) with N small unencrypted objects, then on fresh copies
 * of the same data times `reencryptBucket` (in a child process, so its peak RSS is its own)
 * and `aws s3 cp s3://B/ s3://B/ --recursive --sse aws:kms --sse-kms-key-id ARN`, and prints
 * objects/s for each and the ratio. Needs moto_server and the aws CLI. Not a test.
 *
 * Bundles bench/reencrypt-run.ts with esbuild into a temporary folder (the options of
 * scripts/build.mjs) and runs it. The full default run takes about 15 minutes (seeding
 * 20,000 objects into moto twice is most of it).
 *
 * Measured here (Node 20, aws CLI 1.45, moto 5.2.1, 2 shared CPUs, so +-15%):
 *   fresh data, 2,000 objects:  ours 104-129 objects/s, aws s3 cp 178-221: 0.58-0.59x
 *   the same command again:     ours 248-296 (HeadObject only), aws s3 cp 196-219 (copies all again): 1.27-1.35x
 *   moto itself:                HeadObject 353-358/s, CopyObject 253-271/s at concurrency 32
 *   memory:                     2,000 objects 132-139 MB peak RSS, 20,000: 158-163 MB; live heap
 *                               after GC flat (12.8 -> 12.8 MB; 15.4 -> 13.0 MB)
 * moto is bound by its own CPU, so the HeadObject that keeps objects already on the key
 * untouched (and finds SSE-C, DSSE-KMS and archived ones) costs a full request there; ours
 * needs HeadObject + CopyObject per object (at most ~150/s from moto), the CLI only CopyObject.
 */
import { runBundled } from './run-bundled.mjs';

process.exitCode = await runBundled('reencrypt-run.ts');
