import { spawnSync } from 'node:child_process';

/*
 * YAML read back by PyYAML (safe_load, YAML 1.1: the stricter reading of plain scalars such as
 * `yes` or `2012-10-17`, and the loader cfn-lint builds on). One python3 run for many texts.
 * A value JSON cannot hold (a date, a float) comes back tagged, so a test sees what it became.
 */
const SCRIPT = `
import json, sys, yaml
def tagged(value):
    return {"__python_type__": type(value).__name__, "repr": repr(value)}
texts = json.load(sys.stdin)
json.dump([yaml.safe_load(text) for text in texts], sys.stdout, default=tagged)
`;

export function parseYamlAll(texts: string[]): unknown[] {
  const result = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify(texts), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`PyYAML could not read the YAML: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}
