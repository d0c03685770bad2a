import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { DUTIES, type Duty, parseRolesLine } from './roles-line.js';

/** The account's roles for the pick-list, or why they could not be listed. */
export type RoleChoices =
  | { ok: true; roles: { value: string; name: string; path: string }[] }
  | { ok: false; note: string };

const TYPE_INSTEAD = 'type:instead';

/** The roles screen: every duty still open, on one line, checked as typed (names, two duties). */
export async function askRoles(
  answers: Answers,
  ui: Ui,
  fields: readonly Duty['field'][],
  keyAdminRequired = false,
  choices?: Promise<RoleChoices | undefined>,
): Promise<void> {
  const open = DUTIES.filter((duty) => fields.includes(duty.field) && answers[duty.field] === undefined);
  if (open.length === 0) return;
  const listed = await choices;
  if (listed && !listed.ok) ui.info(listed.note);
  if (listed?.ok && listed.roles.length > 0 && ui.groupMultiselect) {
    const picked = await pickRoles(answers, ui, open, keyAdminRequired, listed.roles);
    if (picked) return;
  }
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

/**
 * One screen: the account's roles under each open duty. A pick that breaks a rule (two duties
 * for one role, no key administrator when one is needed) is said and the list shown again,
 * with the picks kept. Returns false when the user chose to type the names instead.
 */
async function pickRoles(
  answers: Answers,
  ui: Ui,
  open: readonly Duty[],
  keyAdminRequired: boolean,
  roles: { value: string; name: string; path: string }[],
): Promise<boolean> {
  const groups: Record<string, { value: string; label: string; hint?: string }[]> = {};
  for (const duty of open) {
    groups[`${duty.word}= ${duty.what}`] = roles.map((role) => ({
      value: `${duty.word}:${role.value}`,
      label: role.name,
      ...(role.path === '/' ? {} : { hint: role.path }),
    }));
  }
  groups['Not listed?'] = [{ value: TYPE_INSTEAD, label: 'type the role names on one line instead' }];
  let initialValues: string[] = [];
  for (;;) {
    const picked = await ui.groupMultiselect?.({
      message: 'Who does what? (space picks, enter confirms)',
      groups,
      initialValues,
    });
    if (!picked || picked.includes(TYPE_INSTEAD)) return false;
    const line = open
      .map((duty) => ({
        duty,
        values: picked
          .filter((value) => value.startsWith(`${duty.word}:`))
          .map((value) => value.slice(duty.word.length + 1)),
      }))
      .filter(({ values }) => values.length > 0)
      .map(({ duty, values }) => `${duty.word}=${values.join(',')}`)
      .join(' ');
    const parsed = parseRolesLine(line, open, answers);
    const admins = parsed.ok ? (parsed.roles.keyAdminRoles ?? answers.keyAdminRoles ?? []) : [];
    const problem = !parsed.ok
      ? parsed.problem
      : keyAdminRequired && admins.length === 0
        ? 'pick a role under admin=: who maintains this setup?'
        : undefined;
    if (parsed.ok && !problem) {
      for (const duty of open) answers[duty.field] = parsed.roles[duty.field] ?? [];
      return true;
    }
    ui.warn(problem ?? '');
    initialValues = picked;
  }
}
