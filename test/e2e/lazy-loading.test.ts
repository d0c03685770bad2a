import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUILT_BIN, ensureBuilt, REPO_ROOT, runProgram, strangerEnv } from './support/built-cli.js';
import { frame, requireTmux, TerminalSession } from './support/terminal-session.js';

/*
 * Which chunks of dist/ each path really loads, observed with a module hook
 * (bench/startup-module-log.mjs) and classified with the build's metafile. The promise of
 * issue 5: --help, --version, the first wizard screen and render never pay for the AWS SDK.
 */

const HOOK = join(REPO_ROOT, 'bench', 'startup-module-log.mjs');
type Family = 'aws-sdk' | 'handlebars' | 'clack';
const FAMILIES: Record<Family, RegExp> = {
  'aws-sdk': /node_modules\/@(aws-sdk|smithy)\//,
  handlebars: /node_modules\/handlebars\//,
  clack: /node_modules\/@clack\//,
};

let root: string;
let familiesOf: Map<string, Set<Family>>;

beforeAll(() => {
  ensureBuilt();
  const metaPath = join(REPO_ROOT, '.tmp', 'esbuild-meta.json');
  if (!existsSync(metaPath)) throw new Error(`${metaPath} is missing; run: npm run build`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  familiesOf = new Map();
  for (const [output, { inputs }] of Object.entries(meta.outputs)) {
    if (!existsSync(join(REPO_ROOT, output)))
      throw new Error(`${metaPath} does not match dist/; run: npm run build`);
    const families = new Set<Family>();
    for (const input of Object.keys(inputs)) {
      for (const [family, pattern] of Object.entries(FAMILIES))
        if (pattern.test(input)) families.add(family as Family);
    }
    familiesOf.set(basename(output), families);
  }
  root = mkdtempSync(join(tmpdir(), 'ceb-lazy-'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function familiesIn(log: string): Set<Family> {
  const loaded = new Set<Family>();
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  for (const url of urls) {
    for (const family of familiesOf.get(basename(fileURLToPath(url))) ?? []) loaded.add(family);
  }
  return loaded;
}

/** Runs the built CLI without a terminal and returns the code families it loaded. */
function loadedBy(name: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const cwd = mkdtempSync(join(root, `${name}-`));
  const log = join(cwd, '..', `${basename(cwd)}.modules`);
  const env = strangerEnv(join(root, 'home'), { MODULE_LOG: log, ...extraEnv });
  const result = runProgram(process.execPath, ['--import', HOOK, BUILT_BIN, ...args], { cwd, env });
  return { ...result, families: familiesIn(log) };
}

describe('code loaded per path', () => {
  test('--help and --version load neither the AWS SDK, nor handlebars, nor clack', () => {
    for (const flag of ['--help', '--version']) {
      const run = loadedBy(flag.slice(2), [flag]);
      expect(run.code, run.stderr).toBe(0);
      expect([...run.families], flag).toEqual([]);
    }
  });

  test('a non-interactive render loads handlebars but not the AWS SDK', () => {
    const run = loadedBy('render', [
      ...['--yes', '--bucket', 'acme-contracts', '--region', 'eu-west-1', '--account-id', '111122223333'],
      ...['--app-role', 'contracts-app', '--key-admin-role', 'key-admin', '--render', 'out'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect([...run.families]).toEqual(['handlebars']);
  });

  test('apply loads the AWS SDK (the hook sees lazy chunks)', () => {
    const run = loadedBy(
      'apply',
      ['--yes', '--apply', '--bucket', 'acme-contracts', '--region', 'eu-west-1'],
      {
        // No credentials anywhere: fail at once instead of probing the EC2 metadata service.
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    );
    expect(run.code).toBe(1);
    expect(run.families.has('aws-sdk')).toBe(true);
  });

  test('the wizard rendering files, with no AWS credentials around, never loads the AWS SDK', async () => {
    requireTmux();
    const cwd = mkdtempSync(join(root, 'wizard-'));
    const log = join(root, 'wizard.modules');
    // Every answer but the account id comes as a flag, so the wizard asks one question (creating the bucket sits behind Customise).
    const flags = [
      ...['--scheme', 'sse-kms', '--bucket', 'acme-contracts', '--region', 'eu-west-1'],
      ...[
        '--app-role',
        'contracts-app',
        '--operator-role',
        'platform-ops',
        '--auditor-role',
        'security-audit',
      ],
      ...['--key-admin-role', 'key-admins', '--key-alias', 'alias/acme-contracts', '--rotation-days', '365'],
      ...['--enforcement', 'strict', '--requests-per-month', '1000', '--render', 'out'],
    ];
    const term = await TerminalSession.start({
      command: [process.execPath, '--import', HOOK, BUILT_BIN, ...flags],
      cwd,
      env: strangerEnv(join(root, 'home'), { MODULE_LOG: log }),
    });
    try {
      await term.waitForScreen('AWS account id');
      await term.type('111122223333');
      await term.press('Enter');
      await term.waitForScreen('Save these answers');
      await term.press('Enter'); // No, the default
      const { code, screen } = await term.exit();
      expect(code, frame(screen)).toBe(0);
      expect(
        [...familiesIn(log)].sort(),
        'the wizard may reach for AWS only when credentials could exist (see hasCredentialHints)',
      ).toEqual(['clack', 'handlebars']);
    } finally {
      await term.close();
    }
  });
});
