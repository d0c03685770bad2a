#!/usr/bin/env node
/*
 * API calls and wall time of `apply` against moto: a fresh apply, then a no-op re-run.
 *
 *   node bench/apply.mjs [--runs 5]
 *
 * Bundles bench/apply-run.ts with esbuild into a temporary folder (the same options as
 * scripts/build.mjs) and runs it; needs moto_server. Prints numbers; it is not a test.
 */
import { runBundled } from './run-bundled.mjs';

process.exitCode = await runBundled('apply-run.ts');
