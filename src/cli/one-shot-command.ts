import { ROLE_FLAGS } from '../config/parse-config.js';
import { shellQuote } from '../render/shell-quote.js';
import type { Config, RoleKind } from '../types.js';

/** The command line that repeats this run with no questions, e.g. in CI. */
export function oneShotCommand(
  config: Config,
  output: { mode: 'render' | 'apply'; renderDir: string },
): string {
  const parts: string[] = ['npx create-encrypted-bucket --yes'];
  const flag = (name: string, value?: string) =>
    parts.push(value === undefined ? name : `${name} ${shellQuote(value)}`);
  flag('--bucket', config.bucket);
  flag('--region', config.region);
  flag('--account-id', config.accountId);
  if (config.createBucket) flag('--create-bucket');
  flag('--scheme', config.scheme);
  for (const kind of Object.keys(ROLE_FLAGS) as RoleKind[]) {
    // The caller apply added is added again by the next apply.
    for (const role of config.roles[kind]) if (!role.addedAsCaller) flag(ROLE_FLAGS[kind], role.arn);
  }
  if (config.key?.kind === 'existing') flag('--existing-key', config.key.arn);
  if (config.key?.kind === 'new') {
    flag('--key-alias', config.key.alias);
    flag('--rotation-days', String(config.key.rotationDays));
  }
  flag('--enforcement', config.enforcement);
  flag('--requests-per-month', String(config.requestsPerMonth));
  if (output.mode === 'apply') flag('--apply');
  else flag('--render', output.renderDir);
  return parts.join(' \\\n  ');
}
