import { findDutyConflict, validateRole } from '../config/fields.js';
import type { Answers } from '../types.js';

/** The duties one line of the roles screen sets: `app=contracts-app ops=platform-ops ...`. */
export const DUTIES = [
  { word: 'app', field: 'appRoles', flag: '--app-role', what: 'reads and writes objects' },
  { word: 'ops', field: 'operatorRoles', flag: '--operator-role', what: 'manages the bucket' },
  { word: 'audit', field: 'auditorRoles', flag: '--auditor-role', what: 'reads the settings' },
  { word: 'admin', field: 'keyAdminRoles', flag: '--key-admin-role', what: 'maintains this setup' },
  { word: 'reencrypt', field: 'reencryptRoles', flag: '--reencrypt-role', what: 're-encrypts older objects' },
] as const;
export type Duty = (typeof DUTIES)[number];
export type DutyField = Duty['field'];

const SYNONYMS: Record<string, Duty['word']> = {
  application: 'app',
  operator: 'ops',
  auditor: 'audit',
  'key-admin': 'admin',
  keyadmin: 'admin',
};

export type RolesLine =
  | { ok: true; roles: Partial<Record<DutyField, string[]>> }
  | { ok: false; problem: string };

/**
 * Parses `app=a,b ops=c audit=d admin=e`. Only `asked` duties may appear; the rest came from
 * flags and are checked with them, so a role given two duties is refused here, where it is typed.
 */
export function parseRolesLine(input: string, asked: readonly Duty[], answers: Answers): RolesLine {
  const roles: Partial<Record<DutyField, string[]>> = {};
  const words = asked.map((duty) => duty.word);
  for (const token of input.trim().split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      return {
        ok: false,
        problem: `"${token}" has no duty: write ${words.map((word) => `${word}=ROLE`).join(' ')} (role names have no spaces; several roles of one duty: app=a,b)`,
      };
    }
    const said = token.slice(0, eq).toLowerCase();
    const word = SYNONYMS[said] ?? said;
    const duty = asked.find((candidate) => candidate.word === word);
    if (!duty) return { ok: false, problem: `"${said}" is not a duty here; use ${words.join(', ')}` };
    const values = token
      .slice(eq + 1)
      .split(',')
      .filter(Boolean);
    if (values.length === 0)
      return { ok: false, problem: `${word}= needs a role name, e.g. ${word}=my-role` };
    for (const value of values) {
      const problem = validateRole(value, answers.accountId);
      if (problem) return { ok: false, problem };
    }
    roles[duty.field] = [...(roles[duty.field] ?? []), ...values];
  }
  const merged = { ...answers, ...roles };
  const conflict = findDutyConflict(
    DUTIES.map((duty) => ({ flag: `${duty.word}=`, roles: merged[duty.field] ?? [] })),
  );
  if (conflict) return { ok: false, problem: conflict.message };
  return { ok: true, roles };
}
