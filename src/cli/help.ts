import { HELP_GROUPS, helpLines, type OptionSpec } from './option-table.js';
import { ALL_OPTIONS } from './options.js';

const HEADER = `create-encrypted-bucket: protect an S3 bucket with SSE-KMS and real access separation,
then apply it to your account or render it as files to review, and prove it works.

Usage
  npx create-encrypted-bucket [flags]            wizard in a terminal; flags fill answers
  npx create-encrypted-bucket verify [flags]     check an existing setup (auditors, CI)
  npx create-encrypted-bucket scan [flags]       count objects by their current encryption
  npx create-encrypted-bucket reencrypt [flags]  re-encrypt older objects with the key
`;

const GROUP_NOTES: Partial<Record<(typeof HELP_GROUPS)[number], string[]>> = {
  'verify, scan, reencrypt': [
    'reencrypt uses the key, so run it as an application role (--profile); it asks first',
    '(or needs --yes), and Ctrl-C stops it cleanly: the same command continues.',
  ],
};

const FOOTER = `
Non-interactive usage (CI)
  npx create-encrypted-bucket --yes --bucket acme-contracts --region eu-west-1 \\
    --account-id 111122223333 --app-role contracts-app --operator-role platform-ops \\
    --auditor-role security-audit --key-admin-role key-admin --render ./acme-contracts-encryption
  npx create-encrypted-bucket --config team.json --bucket new-project --yes

Exit codes
  0 success   1 failure (AWS error, failed verification)   2 usage error (bad flag or value)
  130 cancelled (nothing was written)
`;

const COLUMN = 28;

function optionLines(option: OptionSpec): string[] {
  const names = `${option.short ? `-${option.short}, ` : ''}${option.flag}${option.valueName ? ` ${option.valueName}` : ''}`;
  const [first = '', ...more] = helpLines(option);
  const head =
    names.length < COLUMN - 2
      ? [`  ${names.padEnd(COLUMN)}${first}`]
      : [`  ${names}`, `  ${''.padEnd(COLUMN)}${first}`];
  return [...head, ...more.map((line) => `  ${''.padEnd(COLUMN)}${line}`)];
}

/** The help page, grouped like the wizard's questions, every line from the option table. */
export function helpText(options: readonly OptionSpec[] = ALL_OPTIONS): string {
  const sections = HELP_GROUPS.map((group) => {
    const lines = options.filter((option) => option.group === group).flatMap(optionLines);
    return [group, ...lines, ...(GROUP_NOTES[group] ?? []).map((note) => `  ${note}`)].join('\n');
  });
  return `${HEADER}\n${sections.join('\n\n')}\n${FOOTER}`;
}
