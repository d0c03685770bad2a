import { answerTraits } from '../plan/schemes.js';
import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { DUTIES, type Duty, parseRolesLine } from './roles-line.js';

/** The roles screen: every duty still open, on one line, checked as typed (names, two duties). */
export async function askRoles(
  answers: Answers,
  ui: Ui,
  fields: readonly Duty['field'][],
  keyAdminRequired = false,
): Promise<void> {
  const open = DUTIES.filter(
    (duty) =>
      fields.includes(duty.field) &&
      answers[duty.field] === undefined &&
      (duty.field !== 'keyAdminRoles' || answerTraits(answers.scheme).usesKmsKey),
  );
  if (open.length === 0) return;
  const example: Record<Duty['word'], string> = {
    app: 'contracts-app',
    ops: 'platform-ops',
    audit: 'security-audit',
    admin: 'key-admin',
    reencrypt: 'reencrypt-job',
  };
  const input = await ui.text({
    message: `Who does what? ${open.map((duty) => `${duty.word}= ${duty.what}`).join(', ')}`,
    placeholder: open.map((duty) => `${duty.word}=${example[duty.word]}`).join(' '),
    defaultValue: '',
    validate: (value) => {
      const line = parseRolesLine(value, open, answers);
      if (!line.ok) return line.problem;
      const admins = line.roles.keyAdminRoles ?? answers.keyAdminRoles ?? [];
      if (keyAdminRequired && admins.length === 0) {
        return 'admin= is required: who maintains this setup? (it administers the key, never decrypts; with AWS credentials, apply adds you)';
      }
      return undefined;
    },
  });
  const line = parseRolesLine(input, open, answers);
  for (const duty of open) answers[duty.field] = line.ok ? (line.roles[duty.field] ?? []) : [];
}
