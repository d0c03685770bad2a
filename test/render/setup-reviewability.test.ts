import { describe, expect, test } from 'vitest';
import { renderPlan } from '../../src/render/index.js';
import { lockDigest, OFFLINE_LOCK, type SetupLock } from '../../src/render/lock.js';
import type { Plan } from '../../src/types.js';
import { CASES, planFor } from './helpers/cases.js';
import { loadTemplates } from './helpers/render-case.js';

/*
 * Reviewability: setup.sh reads top to bottom as a list of commands. Its only logic is the lock
 * check, one helper that runs a command (capture), the checks before the first write, and error
 * handling. Every condition it tests is on this list; a new one (a decision made in bash) fails
 * here until it moves into TypeScript or is argued onto the list.
 */

const ALLOWED_CONDITIONS = [
  // capture runs a command; its status and "does it exist" are error handling.
  /^capture aws /,
  /^capture "\$@"$/,
  /^missing$/,
  /^\[\[ \$ERR =~ \$pattern \]\]$/,
  // The lock: what the account holds is what render read, or what this plan writes.
  /^\[ "\$2" = "\$3" \] \|\| \[ "\$2" = "\$4" \]$/,
  /^\[ "\$LOCK_READ" = no \]$/,
  // The one digest tool of the machine.
  /^command -v sha256sum >\/dev\/null$/,
  // The checks before the first write: too old a CLI, missing roles.
  /^\[ "\$\{#too_old\[@\]\}" -gt 0 \]$/,
  /^\[ "\$\{#missing_roles\[@\]\}" -gt 0 \]$/,
  // What exists is not created again (a re-run); which key that is, the lock decided.
  /^\[ "\$bucket_exists" = true \]$/,
  // Which key: the one render chose, or the one the alias names (checked by the lock); and
  // whether it is created, the one case where another key tagged for the bucket must refuse.
  /^\[ "\$(key_arn|alias_key)" (=|!=) none \]$/,
  // A fresh backup folder.
  /^mkdir -m 700 "\$backup_dir" 2>\/dev\/null$/,
  /^\[ "\$attempt" -le 100 \]$/,
];

const ALLOWED_FUNCTIONS = [
  'capture',
  'step',
  'note',
  'die',
  'missing',
  'error_code',
  'document',
  'digest',
  'value_or_none',
  'digest_or_none',
  'expect_locked',
  'back_up',
  'lacks',
];

/** Every condition of an if, elif, until or while, and the left side of each `[ ... ] ||`. */
function conditions(script: string): string[] {
  const found: string[] = [];
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    const compound = /^(?:if|elif|until|while) (.+?); (?:then|do)/.exec(line);
    if (compound?.[1]) found.push(compound[1]);
    const short = /^(\[ [^\]]+ \]) (?:\|\||&&) /.exec(line);
    if (short?.[1]) found.push(short[1]);
  }
  return found;
}

async function setupOf(plan: Plan, lock?: SetupLock): Promise<string> {
  const files = renderPlan(plan, await loadTemplates(), lock);
  const setup = files.find((file) => file.path === 'setup.sh');
  if (!setup) throw new Error('no setup.sh');
  return setup.content;
}

const READ_LOCK: SetupLock = {
  read: true,
  readAs: 'arn:aws:iam::123456789012:role/admin',
  bucketPolicy: lockDigest('{"Statement":[]}'),
  aliasKey: 'arn:aws:kms:eu-west-1:123456789012:key/1',
  key: 'arn:aws:kms:eu-west-1:123456789012:key/1',
  keyPolicy: lockDigest('{"Statement":[]}'),
  taggedKeys: 'arn:aws:kms:eu-west-1:123456789012:key/1',
};

describe.each(CASES)('setup.sh is a list of commands: $name', (renderCase) => {
  test.each([
    ['offline', OFFLINE_LOCK],
    ['read', READ_LOCK],
  ])('rendered %s', async (_how, lock) => {
    const plan = planFor(renderCase);
    const script = await setupOf(plan, lock);
    const code = script
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');

    for (const condition of conditions(script)) {
      expect(
        ALLOWED_CONDITIONS.some((allowed) => allowed.test(condition)),
        `a decision in bash: ${condition}`,
      ).toBe(true);
    }
    const functions = [...code.matchAll(/^([a-z_]+)\(\) \{/gm)].map((match) => match[1]);
    expect(functions.filter((name) => !ALLOWED_FUNCTIONS.includes(name ?? ''))).toEqual([]);

    // No text processing of policies, no search for keys, no hand-merged files.
    expect(code).not.toMatch(/\b(sed|awk|jq|python3?|perl|cut|wc)\b/);
    const greps = code.split('\n').filter((line) => /\bgrep\b/.test(line));
    expect(greps.map((line) => line.trim())).toEqual([
      `missing() { grep -Eq 'NotFound|NoSuch|\\(404\\)' <<<"$ERR"; }`,
      ...(code.includes('lacks() {') ? [`lacks() { grep -q "\\"$2\\"" <<<"$1" || too_old+=("$3"); }`] : []),
    ]);
    expect(code).not.toMatch(/list-keys|list-resource-tags|list-aliases/);
    // Keys are looked up by their tag in one read, a lock item like the others, never adopted.
    const tagReads = code.match(/resourcegroupstaggingapi get-resources/g) ?? [];
    const lockItems = [...code.matchAll(/^expect_locked ('[^']+'|"[^"]+")/gm)].map((match) => match[1]);
    if (plan.config.scheme === 'sse-kms' && plan.config.key?.kind === 'new') {
      expect(tagReads).toHaveLength(1);
      expect(lockItems).toEqual([
        '"the KMS key (alias, key, key policy)"',
        "'the list of keys tagged for this bucket'",
        "'the bucket policy'",
      ]);
      expect(code).toMatch(/^tagged_keys="\$\(value_or_none aws resourcegroupstaggingapi get-resources /m);
      expect(code).toMatch(
        /^expect_locked 'the list of keys tagged for this bucket' "\$tagged_keys" "\$LOCK_TAGGED_KEYS" "\$tagged_after"$/m,
      );
    } else {
      expect(tagReads).toEqual([]);
      expect(lockItems).toEqual(["'the bucket policy'"]);
    }
    expect(code).not.toMatch(/MERGED_BUCKET_POLICY|"Sid"|"Effect"/);
    // The only loop runs over the roles it checks (and the backup folder's name).
    expect(code.match(/^\s*(for|while|until) .*$/gm)?.map((line) => line.trim().split(' ')[0])).toEqual(
      code.includes('ROLES=(') ? ['for', 'for', 'until'] : ['until'],
    );

    // The lock is checked before anything is written, and before the backup.
    const firstWrite = code.search(/^\s*aws \S+ (create|put|enable)-/m);
    expect(firstWrite).toBeGreaterThan(0);
    const lockCheck = code.indexOf("expect_locked 'the bucket policy'");
    expect(lockCheck).toBeGreaterThan(0);
    expect(lockCheck).toBeLessThan(code.indexOf('mkdir -p backups'));
    expect(lockCheck).toBeLessThan(firstWrite);

    // The writes are the plan's steps, in order.
    const writes = [...code.matchAll(/^\s*(?:[a-z_]+="\$\()?aws (\S+) ((?:create|put|enable)-\S+)/gm)].map(
      (match) => `${match[1]} ${match[2]}`,
    );
    const expected = plan.steps.map((step) => STEP_COMMANDS[step.kind]);
    expect(writes).toEqual(expected);
  });
});

const STEP_COMMANDS: Record<Plan['steps'][number]['kind'], string> = {
  's3.createBucket': 's3api create-bucket',
  'kms.createKey': 'kms create-key',
  'kms.createAlias': 'kms create-alias',
  'kms.enableRotation': 'kms enable-key-rotation',
  'kms.putKeyPolicy': 'kms put-key-policy',
  's3.putBucketEncryption': 's3api put-bucket-encryption',
  's3.putPublicAccessBlock': 's3api put-public-access-block',
  's3.putBucketPolicy': 's3api put-bucket-policy',
  'iam.putRolePolicy': 'iam put-role-policy',
};
