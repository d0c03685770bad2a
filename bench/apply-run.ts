/*
 * The body of bench/apply.mjs (run that, not this): against a moto_server it starts itself.
 * First through the latency proxy (bench/latency-proxy.ts, --delay ms per request, default 50):
 * round trips, API calls and wall time of `runApply` on a fresh account and of a no-op re-run.
 * Then against moto directly: times of both, counting API calls with the same middleware the
 * tests use, next to the rendered setup.sh doing the same plan with the aws CLI (skipped with
 * --no-script). Median and range over --runs rounds (default 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ApiCall, recordCalls } from '../src/apply/call-log.js';
import { runApply } from '../src/apply/run-apply.js';
import { createClients } from '../src/aws/clients.js';
import { readTemplates } from '../src/output/read-templates.js';
import { writeRenderedFiles } from '../src/output/write-files.js';
import { renderPlan } from '../src/render/render-plan.js';
import type { Ui } from '../src/ui/ui.js';
import { countRounds } from '../test/apply/round-counter.js';
import { createRoles, planFor, REGION } from '../test/apply/support.js';
import { startMoto } from '../test/helpers/moto.js';
import { type LatencyProxy, latencyProxy } from './latency-proxy.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}
const RUNS = flag('runs', 5);
const DELAY_MS = flag('delay', 50);
const SCRIPT = !process.argv.includes('--no-script');

const silent: Ui = {
  interactive: false,
  intro() {},
  outro() {},
  note() {},
  info() {},
  warn() {},
  success() {},
  error() {},
  text: async () => '',
  select: async () => {
    throw new Error('no prompts in the bench');
  },
  confirm: async () => true,
  spinner: () => ({ start() {}, stop() {}, error() {} }),
};

interface Sample {
  ms: number;
  calls: readonly ApiCall[];
}

async function timedApply(endpoint: string, backupDir: string): Promise<Sample> {
  const clients = createClients({ region: REGION, endpoint });
  const log = recordCalls(clients);
  const plan = planFor();
  const started = performance.now();
  await runApply(
    plan,
    { aws: { region: REGION }, dryRun: false, yes: true, verify: false, backupDir, clients },
    silent,
  );
  const ms = performance.now() - started;
  clients.destroy();
  return { ms, calls: [...log.calls] };
}

/** Runs setup.sh once with the aws CLI against moto; its calls are counted from its own output. */
function timedScript(dir: string, env: Record<string, string>): number {
  const started = performance.now();
  const run = spawnSync('bash', [join(dir, 'setup.sh')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`setup.sh failed: ${run.stderr}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function summary(label: string, samples: Sample[]): void {
  const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const calls = samples[0]?.calls ?? [];
  const writes = calls.filter((call) => call.write).length;
  console.log(
    `${label.padEnd(14)} ${String(calls.length).padStart(3)} API calls (${writes} writes, ${calls.length - writes} reads)   ` +
      `median ${median.toFixed(0)} ms   min ${times[0]?.toFixed(0)} ms   max ${times.at(-1)?.toFixed(0)} ms`,
  );
}

function breakdown(calls: readonly Pick<ApiCall, 'operation'>[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1);
  return [...counts]
    .map(([operation, count]) => (count > 1 ? `${operation} x${count}` : operation))
    .join(', ');
}

/** Round trips, calls and time of a fresh apply and a no-op re-run, each request delayed. */
async function throughProxy(proxy: LatencyProxy, backupDir: string): Promise<void> {
  proxy.setDelay(DELAY_MS);
  const rows: Record<'fresh' | 'noop', { rounds: number; requests: number; sample: Sample }[]> = {
    fresh: [],
    noop: [],
  };
  for (let round = 0; round <= RUNS; round += 1) {
    await moto.reset();
    const setup = createClients({ region: REGION, endpoint: moto.endpoint });
    await createRoles(setup);
    setup.destroy();
    proxy.takeRounds();
    const first = await timedApply(proxy.endpoint, backupDir);
    const fresh = proxy.takeRounds();
    const again = await timedApply(proxy.endpoint, backupDir);
    const noop = proxy.takeRounds();
    if (round === 0) continue;
    rows.fresh.push({ ...fresh, sample: first });
    rows.noop.push({ ...noop, sample: again });
  }
  console.log(`through a latency proxy adding ${DELAY_MS} ms to every request, ${RUNS} runs:`);
  for (const [label, list] of [
    ['fresh apply', rows.fresh],
    ['no-op re-run', rows.noop],
  ] as const) {
    const rounds = list.map((row) => row.rounds);
    const wall = median(list.map((row) => row.sample.ms));
    console.log(
      `  ${label.padEnd(13)} ${String(Math.max(...rounds)).padStart(2)} round trips (min ${Math.min(...rounds)})  ` +
        `${String(list[0]?.requests ?? 0).padStart(3)} HTTP requests, ${list[0]?.sample.calls.length ?? 0} API calls  ` +
        `median ${wall.toFixed(0)} ms (${(wall / DELAY_MS).toFixed(1)}x the delay)`,
    );
  }
  proxy.setDelay(0);
}

/** Which calls go together: one untimed fresh apply and re-run under the tests' round counter. */
async function waves(backupDir: string): Promise<void> {
  await moto.reset();
  const setup = createClients({ region: REGION, endpoint: moto.endpoint });
  await createRoles(setup);
  setup.destroy();
  for (const label of ['fresh apply', 'no-op re-run']) {
    const clients = createClients({ region: REGION, endpoint: moto.endpoint });
    const counter = countRounds(clients);
    await runApply(
      planFor(),
      { aws: { region: REGION }, dryRun: false, yes: true, verify: false, backupDir, clients },
      silent,
    );
    clients.destroy();
    console.log(`  ${label}, round by round (test/apply/round-counter.ts):`);
    for (const [index, wave] of counter.waves.entries())
      console.log(`    ${index + 1}. ${breakdown(wave.map((operation) => ({ operation })))}`);
  }
}

const moto = await startMoto();
Object.assign(process.env, moto.env);
const backupDir = mkdtempSync(join(tmpdir(), 'ceb-bench-backups-'));
const proxy = await latencyProxy(Number(new URL(moto.endpoint).port));
try {
  await throughProxy(proxy, backupDir);
  await waves(backupDir);
  console.log(`\napply against moto_server directly (${moto.endpoint}), ${RUNS} runs:`);
  const fresh: Sample[] = [];
  const noop: Sample[] = [];
  const scriptFresh: number[] = [];
  const scriptAgain: number[] = [];
  const scriptDir = join(backupDir, 'rendered');
  if (SCRIPT)
    await writeRenderedFiles(
      scriptDir,
      renderPlan(planFor(), await readTemplates(pathToFileURL(join(process.cwd(), 'dist', 'bin.js')).href)),
      { overwrite: true },
    );
  // One warm-up round: moto and the SDK both pay for their first requests.
  // (The bundle runs from a temp folder and the cwd is the repository: templates/ is there.)
  for (let round = 0; round <= RUNS; round += 1) {
    await moto.reset();
    const setup = createClients({ region: REGION, endpoint: moto.endpoint });
    await createRoles(setup);
    const first = await timedApply(moto.endpoint, backupDir);
    const again = await timedApply(moto.endpoint, backupDir);
    if (SCRIPT) {
      await moto.reset();
      await createRoles(setup);
    }
    setup.destroy();
    const scriptFirst = SCRIPT ? timedScript(scriptDir, moto.env) : 0;
    const scriptSecond = SCRIPT ? timedScript(scriptDir, moto.env) : 0;
    if (round === 0) continue;
    fresh.push(first);
    noop.push(again);
    scriptFresh.push(scriptFirst);
    scriptAgain.push(scriptSecond);
  }
  summary('fresh apply', fresh);
  summary('no-op re-run', noop);
  console.log(`\nfresh apply calls:  ${breakdown(fresh[0]?.calls ?? [])}`);
  console.log(`no-op re-run calls: ${breakdown(noop[0]?.calls ?? [])}`);
  if (SCRIPT) {
    console.log(
      `setup.sh fresh    median ${median(scriptFresh).toFixed(0)} ms (aws CLI, one process per call)`,
    );
    console.log(`setup.sh re-run   median ${median(scriptAgain).toFixed(0)} ms`);
    const ratio = (script: number[], ours: Sample[]) =>
      (median(script) / median(ours.map((sample) => sample.ms))).toFixed(1);
    console.log(
      `apply is ${ratio(scriptFresh, fresh)}x faster fresh, ${ratio(scriptAgain, noop)}x on a re-run`,
    );
  }
} finally {
  proxy.close();
  rmSync(backupDir, { recursive: true, force: true });
  await moto.stop();
}
