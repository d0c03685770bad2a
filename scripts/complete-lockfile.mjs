// Adds lock entries for platform-specific optional packages that the registry here does not
// serve (Biome's non-glibc builds answer 404), so `npm ci` on a fresh machine finds the lock
// complete. npm drops these entries on every `npm install`: run this afterwards.
//   node scripts/complete-lockfile.mjs
import { readFile, writeFile } from 'node:fs/promises';

const PLATFORM = /^cli-(android|darwin|linux|win32)-(arm64|x64)(-musl)?$/;
const lockUrl = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(await readFile(lockUrl, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  if (!path.startsWith('node_modules/@biomejs/') || !entry.optionalDependencies) continue;
  for (const [name, version] of Object.entries(entry.optionalDependencies)) {
    const key = `node_modules/${name}`;
    const match = PLATFORM.exec(name.split('/')[1] ?? '');
    if (packages[key] || !match) continue;
    const [, os, cpu, musl] = match;
    packages[key] = {
      version,
      cpu: [cpu],
      dev: true,
      ...(musl ? { libc: ['musl'] } : {}),
      license: entry.license,
      optional: true,
      os: [os],
      engines: entry.engines,
    };
    added += 1;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
await writeFile(lockUrl, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform entries`);
