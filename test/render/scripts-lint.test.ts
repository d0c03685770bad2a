import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireCommand } from '../helpers/moto.js';
import { CASES, planFor } from './helpers/cases.js';
import { render, writeToTemp } from './helpers/render-case.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * Every rendered script, for every case, through the tools a reviewer would run:
 * shellcheck (no warnings at all) and bash -n; the snippets through node and python.
 */

beforeAll(() => {
  requireCommand('shellcheck', 'apt-get update && apt-get install -y shellcheck');
});

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.each(CASES)('rendered scripts: $name', (renderCase) => {
  let dir: string;
  let scripts: string[];

  beforeAll(async () => {
    const files = await render(planFor(renderCase));
    dir = await writeToTemp(files);
    scripts = files.filter((file) => file.path.endsWith('.sh')).map((file) => file.path);
  });

  test('shellcheck reports nothing, at any severity', () => {
    expect(scripts).toEqual(expect.arrayContaining(['setup.sh', 'verify.sh', 'snippets/aws-cli.sh']));
    for (const script of scripts) {
      const result = run('shellcheck', ['--severity=style', '--shell=bash', join(dir, script)]);
      expect(result.output, script).toBe('');
      expect(result.code, script).toBe(0);
    }
  });

  test('bash -n parses every script', () => {
    for (const script of scripts) {
      const result = run('bash', ['-n', join(dir, script)]);
      expect(result.output, script).toBe('');
      expect(result.code, script).toBe(0);
    }
  });

  test('the JavaScript and Python snippets are valid source', () => {
    expect(run('node', ['--check', join(dir, 'snippets/upload.mjs')])).toEqual({ code: 0, output: '' });
    for (const snippet of ['snippets/upload_boto3.py', 'snippets/upload_extra_args.py']) {
      const source = join(dir, snippet);
      const result = run('python3', [
        '-c',
        'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])',
        source,
      ]);
      expect(result, snippet).toEqual({ code: 0, output: '' });
    }
  });
});
