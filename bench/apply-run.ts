/*
 * The body of bench/apply.mjs (run that, not this): against a moto_server it starts itself,
 * times `runApply` on a fresh account and a no-op re-run, counting API calls with the same
 * middleware the tests use, next to the rendered setup.sh doing the same plan with the aws
 * CLI. Median and range over --runs rounds (default 5).
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
import { createRoles, planFor, REGION } from '../test/apply/support.js';
import { startMoto } from '../test/helpers/moto.js';

const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;

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

function breakdown(calls: readonly ApiCall[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1);
  return [...counts]
    .map(([operation, count]) => (count > 1 ? `${operation} x${count}` : operation))
    .join(', ');
}

const moto = await startMoto();
Object.assign(process.env, moto.env);
const backupDir = mkdtempSync(join(tmpdir(), 'ceb-bench-backups-'));
try {
  const fresh: Sample[] = [];
  const noop: Sample[] = [];
  const scriptFresh: number[] = [];
  const scriptAgain: number[] = [];
  const scriptDir = join(backupDir, 'rendered');
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
    await moto.reset();
    await createRoles(setup);
    setup.destroy();
    const scriptFirst = timedScript(scriptDir, moto.env);
    const scriptSecond = timedScript(scriptDir, moto.env);
    if (round === 0) continue;
    fresh.push(first);
    noop.push(again);
    scriptFresh.push(scriptFirst);
    scriptAgain.push(scriptSecond);
  }
  console.log(
    `apply against moto_server (${moto.endpoint}), plan with a new key, bucket and 4 roles, ${RUNS} runs`,
  );
  summary('fresh apply', fresh);
  summary('no-op re-run', noop);
  console.log(
    `setup.sh fresh    median ${median(scriptFresh).toFixed(0)} ms (aws CLI, one process per call)`,
  );
  console.log(`setup.sh re-run   median ${median(scriptAgain).toFixed(0)} ms`);
  const ratio = (script: number[], ours: Sample[]) =>
    (median(script) / median(ours.map((sample) => sample.ms))).toFixed(1);
  console.log(
    `apply is ${ratio(scriptFresh, fresh)}x faster fresh, ${ratio(scriptAgain, noop)}x on a re-run`,
  );
  console.log(`\nfresh apply calls:  ${breakdown(fresh[0]?.calls ?? [])}`);
  console.log(`no-op re-run calls: ${breakdown(noop[0]?.calls ?? [])}`);
} finally {
  rmSync(backupDir, { recursive: true, force: true });
  await moto.stop();
}
