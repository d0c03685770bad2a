import type { Scheme } from '../types.js';
import type { Ui } from '../ui/ui.js';

/*
 * The wizard's first step: the five schemes of the S3 encryption guides, compared on the
 * guides' own criteria, SSE-KMS recommended. The schemes whose failure loses data or breaks
 * every reader ask once more, naming that risk; "no" goes back to the menu.
 */

export const CRITERIA = [
  'access separation',
  'audit trail',
  'key rotation',
  'code changes',
  'operational risk',
  'cost',
] as const;
type Criterion = (typeof CRITERIA)[number];

interface SchemeChoice {
  scheme: Scheme;
  label: string;
  hint: string;
  /** Each cell at most 14 characters, so the grid stays within 92 columns. */
  cells: Record<Criterion, string>;
  /** Asked as a confirmation before the scheme is taken. */
  mainRisk?: string;
}

export const SCHEME_CHOICES: readonly SchemeChoice[] = [
  {
    scheme: 'sse-kms',
    label: 'SSE-KMS, customer-managed key (recommended)',
    hint: 'access separation, CloudTrail audit of every decrypt; about $1/month per key',
    cells: {
      'access separation': 'key policy',
      'audit trail': 'every decrypt',
      'key rotation': 'automatic',
      'code changes': 'none',
      'operational risk': 'low',
      cost: '$1/mo + calls',
    },
  },
  {
    scheme: 'sse-s3',
    label: 'SSE-S3',
    hint: 'free and automatic; no access separation',
    cells: {
      'access separation': 'IAM only',
      'audit trail': 'requests only',
      'key rotation': 'automatic',
      'code changes': 'none',
      'operational risk': 'low',
      cost: 'free',
    },
  },
  {
    scheme: 'sse-c',
    label: 'SSE-C, customer-provided keys',
    hint: 'your application sends its own key with every request',
    cells: {
      'access separation': 'key holders',
      'audit trail': 'requests only',
      'key rotation': 'copy objects',
      'code changes': 'every request',
      'operational risk': 'key loss',
      cost: 'key storage',
    },
    mainRisk:
      'SSE-C: S3 keeps no copy of your key. Lose it and every object it encrypted is gone for good; every PUT, GET, HEAD and copy must send it. Continue with SSE-C?',
  },
  {
    scheme: 'client-kms',
    label: 'Client-side, KMS data keys',
    hint: 'the application encrypts with the AWS Encryption SDK; SSE-KMS underneath',
    cells: {
      'access separation': 'key policy',
      'audit trail': 'every data key',
      'key rotation': 'automatic',
      'code changes': 'Encryption SDK',
      'operational risk': 'medium',
      cost: '$1/mo + calls',
    },
    mainRisk:
      'Client-side with KMS: every reader and writer must go through the Encryption SDK; plain S3 clients, the console and other tools only ever see ciphertext. Continue?',
  },
  {
    scheme: 'client-app-key',
    label: 'Client-side, application key',
    hint: 'the application encrypts with a key it holds; SSE-S3 underneath',
    cells: {
      'access separation': 'key holders',
      'audit trail': 'requests only',
      'key rotation': 're-encrypt all',
      'code changes': 'Encryption SDK',
      'operational risk': 'key loss',
      cost: 'key storage',
    },
    mainRisk:
      'Client-side with an application key: storing, backing up and rotating that key is yours alone. Lose it and the data is gone; leak it and the data is open. Continue?',
  },
];

const SHORT_NAMES: Record<Scheme, string> = {
  'sse-kms': 'SSE-KMS *',
  'sse-s3': 'SSE-S3',
  'sse-c': 'SSE-C',
  'client-kms': 'client-kms',
  'client-app-key': 'client-app-key',
};

/** The comparison grid: criteria down, schemes across; * marks the recommendation. */
export function schemeComparison(): string {
  const first = Math.max(...CRITERIA.map((criterion) => criterion.length)) + 1;
  const width = 15;
  const row = (label: string, cells: string[]) =>
    (label.padEnd(first) + cells.map((cell) => cell.padEnd(width)).join('')).trimEnd();
  return [
    row(
      '',
      SCHEME_CHOICES.map((choice) => SHORT_NAMES[choice.scheme]),
    ),
    ...CRITERIA.map((criterion) =>
      row(
        criterion,
        SCHEME_CHOICES.map((choice) => choice.cells[criterion]),
      ),
    ),
    '* recommended: separation enforced by KMS, every use of the key in CloudTrail, no code changes.',
  ].join('\n');
}

/** Asks until a scheme is taken: declining a risky one's confirmation returns to the menu. */
export async function askScheme(ui: Ui): Promise<Scheme> {
  ui.note(schemeComparison(), 'The five ways to encrypt S3 data');
  let initial: Scheme = 'sse-kms';
  for (;;) {
    const scheme: Scheme = await ui.select<Scheme>({
      message: 'Which protection?',
      initialValue: initial,
      options: SCHEME_CHOICES.map(({ scheme, label, hint }) => ({ value: scheme, label, hint })),
    });
    const risk = SCHEME_CHOICES.find((choice) => choice.scheme === scheme)?.mainRisk;
    if (risk === undefined || (await ui.confirm({ message: risk, initialValue: false }))) return scheme;
    initial = scheme;
  }
}
