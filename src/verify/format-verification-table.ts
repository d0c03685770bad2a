import type { VerificationReport } from '../apply/contract.js';

const PASS = 'PASS';
const FAIL = 'FAIL';

/** One aligned line per check (mark, check, detail) and a summary line; plain text, safe for CI logs. */
export function formatVerificationTable(report: VerificationReport): string {
  const width = Math.max(0, ...report.checks.map((check) => check.check.length));
  const rows = report.checks.map((check) =>
    `${check.ok ? PASS : FAIL}  ${check.check.padEnd(width)}  ${check.detail}`.trimEnd(),
  );
  const failed = report.checks.filter((check) => !check.ok).length;
  const summary =
    report.checks.length === 0
      ? 'no checks ran'
      : failed === 0
        ? `${report.checks.length} of ${report.checks.length} checks passed`
        : `${failed} of ${report.checks.length} checks FAILED`;
  return [...rows, summary].join('\n');
}
