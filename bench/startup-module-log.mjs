// Load with `node --import ./bench/startup-module-log.mjs dist/bin.js ...` and MODULE_LOG=<file>:
// appends the file: URL of every module the program loads to that file, one per line. Used by
// bench/startup.mjs and test/e2e/lazy-loading.test.ts to see which chunks a path really loads.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Module hooks run on their own thread, which imports this same file to find `load`.
if (isMainThread) register(import.meta.url);

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && process.env.MODULE_LOG) appendFileSync(process.env.MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}
