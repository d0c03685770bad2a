#!/usr/bin/env node
/*
 * Re-encryption speed and memory against moto: ours vs the aws CLI.
 *
 *   node bench/reencrypt.mjs                                   # 2,000 objects at 20 and 80 ms, memory at 2,000 and 20,000
 *   BENCH_OBJECTS=500 BENCH_DELAYS=80 BENCH_MEMORY= node bench/reencrypt.mjs   # a quick look
 *
 * Starts moto through test/standin/moto-launcher.py (UpdateObjectEncryption honest; no
 * authorization: the stand-in's own CPU would be measured too), puts a latency proxy in front
 * (waits a fixed time, then forwards; counts requests by operation), and on fresh copies of the
 * same data times reencryptBucket on SSE-S3 objects (UpdateObjectEncryption path), on
 * unencrypted objects (copy path), and `aws s3 cp --recursive --sse aws:kms` at its defaults.
 * Prints objects/s, the ratio to the CLI, requests per object per path, then peak RSS and live
 * heap at 2,000 and 20,000 objects. Not a test. Numbers and what bounds them: README.
 */
import { runBundled } from './run-bundled.mjs';

process.exitCode = await runBundled('reencrypt-run.ts');
