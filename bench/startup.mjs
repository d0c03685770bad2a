#!/usr/bin/env node
/*
 * Start-up cost of the built CLI, pair by pair against a bare Node.
 *
 *   npm run build && node bench/startup.mjs [--runs 20]
 *
 * 1. Wall time, runs interleaved so that noise on the machine hits both sides of a pair:
 *    `node dist/bin.js --help` and `--version` against `node -e 0`; and the time until the
 *    wizard's first question appears in a pseudo-terminal (util-linux `script`) against a
 *    bare node printing a marker in the same kind of terminal. Median, p90, and the ratio of
 *    the medians. Reference here: create-vite --help takes about 1.25x a bare node.
 * 2. What each path loads: every dist/ file, observed with bench/startup-module-log.mjs and
 *    classified with the build's metafile (.tmp/esbuild-meta.json), e.g. whether --help
 *    touches the AWS SDK.
 * 3. The package a user downloads: `npm pack` size, unpacked size, and the packages a cold
 *    install into an empty project brings in (own cache, no registry reachable).
 * Needs node, npm and `script`; writes only to a temporary folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'dist', 'bin.js');
const HOOK = join(ROOT, 'bench', 'startup-module-log.mjs');
const META = join(ROOT, '.tmp', 'esbuild-meta.json');
const FIRST_QUESTION = 'Which protection?';
// The floor for any clack app: one select prompt, nothing else (clack from node_modules, unbundled).
const CLACK_FLOOR = `import { select } from ${JSON.stringify(pathToFileURL(join(ROOT, 'node_modules/@clack/prompts/dist/index.mjs')).href)};
await select({ message: ${JSON.stringify(FIRST_QUESTION)}, options: [{ value: 1, label: 'one' }] });`;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 20;

if (!existsSync(BIN) || !existsSync(META)) {
  console.error('dist/ or its metafile is missing; run: npm run build');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ceb-bench-'));
const home = join(scratch, 'home');
mkdirSync(home);
// A stranger's machine: no AWS configuration or variables, no npm_* variables from `npm run`.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(AWS_|npm_|NODE_OPTIONS$)/i.test(key)),
);
Object.assign(env, { HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color', NO_UPDATE_NOTIFIER: '1' });

const node = process.execPath;
const quote = (value) => `'${value.replaceAll("'", `'\\''`)}'`;

function wallMs(args) {
  const start = performance.now();
  const result = spawnSync(node, args, { cwd: scratch, env, stdio: 'ignore' });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return elapsed;
}

/**
 * Starts `args` under node in a fresh pseudo-terminal of 120x40 and resolves with the time
 * until `marker` shows on it; then sends Ctrl-C and waits for the end. `stty` runs in both
 * sides of every pair, so its cost cancels out in the ratio.
 */
function ptyMs(args, marker, extraEnv = {}) {
  const command = `stty cols 120 rows 40 && exec ${[node, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: mkdtempSync(join(scratch, 'pty-')),
      env: { ...env, ...extraEnv },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let seen = '';
    let elapsed;
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (chunk) => {
      if (elapsed !== undefined) return;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's escape codes
      seen += chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      if (seen.includes(marker)) {
        elapsed = performance.now() - start;
        child.stdin.write('\x03');
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(killer);
      if (elapsed === undefined)
        reject(new Error(`"${marker}" never appeared; the terminal showed:\n${seen}`));
      else resolve(elapsed);
    });
  });
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p90: at(0.9) };
}

async function measure() {
  const cases = {
    bare: () => wallMs(['-e', '0']),
    help: () => wallMs([BIN, '--help']),
    version: () => wallMs([BIN, '--version']),
    'pty bare': () => ptyMs(['-e', "process.stdout.write('READY\\n')"], 'READY'),
    'pty wizard': () => ptyMs([BIN], FIRST_QUESTION),
    'pty clack': () => ptyMs(['--input-type=module', '-e', CLACK_FLOOR], FIRST_QUESTION),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) await run(); // warm the file cache
  const names = Object.keys(cases);
  for (let round = 0; round < RUNS; round++) {
    // Rotate the order each round so no case always runs right after another.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      samples[name].push(await cases[name]());
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, stats(list)]));
}

const metafile = JSON.parse(readFileSync(META, 'utf8'));
const FAMILIES = {
  'AWS SDK': /node_modules\/@(aws-sdk|smithy)\//,
  handlebars: /\/handlebars\//,
  clack: /\/@clack\//,
};
function familiesOf(file) {
  const output = metafile.outputs[`dist/${file}`];
  if (!output) return [];
  const inputs = Object.keys(output.inputs);
  return Object.entries(FAMILIES)
    .filter(([, pattern]) => inputs.some((input) => pattern.test(input)))
    .map(([family]) => family);
}

/** The dist/ files a path loads, with their bytes and the libraries inside them. */
async function loaded(name, run) {
  const log = join(scratch, `${name.replaceAll(/\W+/g, '-')}.modules`);
  await run(log);
  const files = existsSync(log)
    ? [
        ...new Set(
          readFileSync(log, 'utf8')
            .split('\n')
            .filter((url) => url.includes('/dist/')),
        ),
      ].map((url) => basename(fileURLToPath(url)))
    : [];
  const bytes = files.reduce((total, file) => total + statSync(join(ROOT, 'dist', file)).size, 0);
  const families = [...new Set(files.flatMap(familiesOf))];
  return { name, files: files.length, bytes, families };
}

async function loading() {
  const hooked = (log, args) =>
    spawnSync(node, ['--import', HOOK, BIN, ...args], {
      cwd: mkdtempSync(join(scratch, 'load-')),
      env: { ...env, MODULE_LOG: log },
      stdio: 'ignore',
    });
  const renderFlags = [
    '--yes',
    '--bucket',
    'acme-contracts',
    '--region',
    'eu-west-1',
    '--account-id',
    '111122223333',
  ];
  return [
    await loaded('--help', (log) => hooked(log, ['--help'])),
    await loaded('--version', (log) => hooked(log, ['--version'])),
    await loaded('first wizard prompt', (log) =>
      ptyMs(['--import', HOOK, BIN], FIRST_QUESTION, { MODULE_LOG: log }),
    ),
    await loaded('--yes --render', (log) => hooked(log, [...renderFlags, '--render', 'out'])),
  ];
}

function pack() {
  const dest = join(scratch, 'pack');
  const project = join(scratch, 'project');
  mkdirSync(dest);
  mkdirSync(project);
  const npmEnv = {
    ...env,
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
  };
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], {
    cwd: ROOT,
    env: npmEnv,
    encoding: 'utf8',
  });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [result] = JSON.parse(packed.stdout);
  writeFileSync(join(project, 'package.json'), '{ "name": "empty-project", "private": true }\n');
  const start = performance.now();
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', join(dest, result.filename)], {
    cwd: project,
    env: npmEnv,
    encoding: 'utf8',
  });
  const installMs = performance.now() - start;
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  const lock = JSON.parse(readFileSync(join(project, 'node_modules', '.package-lock.json'), 'utf8'));
  const packages = Object.keys(lock.packages).filter((path) => path !== '');
  return { ...result, packages, installMs };
}

const kB = (bytes) => `${(bytes / 1024).toFixed(0)} kB`;
const ms = (value) => `${value.toFixed(0)} ms`.padStart(7);

try {
  console.log(`node ${process.version}, ${RUNS} interleaved runs per case\n`);
  const timing = await measure();
  const rows = [
    ['node -e 0', 'bare', 'bare'],
    ['--help', 'help', 'bare'],
    ['--version', 'version', 'bare'],
    ['pty: bare node prints a marker', 'pty bare', 'pty bare'],
    [`pty: first wizard prompt ("${FIRST_QUESTION}")`, 'pty wizard', 'pty bare'],
    ['pty: floor, a lone clack select (unbundled)', 'pty clack', 'pty bare'],
  ];
  console.log(`${'wall time'.padEnd(50)} median     p90   ratio`);
  for (const [label, name, baseline] of rows) {
    const { median, p90 } = timing[name];
    const ratio = (median / timing[baseline].median).toFixed(2);
    console.log(`${label.padEnd(50)} ${ms(median)} ${ms(p90)}   ${ratio}x`);
  }

  console.log(`\n${'dist/ files loaded'.padEnd(50)} files   bytes   libraries`);
  for (const path of await loading()) {
    const libraries =
      path.families.length > 0 ? path.families.join(', ') : 'none of AWS SDK, handlebars, clack';
    console.log(
      `${path.name.padEnd(50)} ${String(path.files).padStart(5)} ${kB(path.bytes).padStart(7)}   ${libraries}`,
    );
  }

  const packed = pack();
  console.log(`\npackage ${packed.filename}`);
  console.log(
    `  tarball ${kB(packed.size)}, unpacked ${kB(packed.unpackedSize)}, ${packed.entryCount} files`,
  );
  console.log(
    `  cold install into an empty project: ${packed.packages.length} package(s) (${packed.packages.join(', ')}), ${ms(packed.installMs).trim()}`,
  );
  console.log('  reference: create-vite installs as 1 package of 1.9 MB; its --help is ~1.25x bare node');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
