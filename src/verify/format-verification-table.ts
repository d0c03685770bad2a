import type { VerificationReport } from '../apply/contract.js';

const PASS = 'PASS';
const FAIL = 'FAIL';
const NOT_RUN = 'SKIP';

/** One aligned line per check (mark, check, detail) and a summary line; plain text, safe for CI logs. */
export function formatVerificationTable(report: VerificationReport): string {
  const width = Math.max(0, ...report.checks.map((check) => check.check.length));
  const rows = report.checks.map((check) =>
    `${check.notRun ? NOT_RUN : check.ok ? PASS : FAIL}  ${check.check.padEnd(width)}  ${check.detail}`.trimEnd(),
  );
  const failed = report.checks.filter((check) => !check.ok).length;
  const skipped = report.checks.filter((check) => check.notRun).length;
  const ran = report.checks.length - skipped;
  const notRunNote = skipped === 0 ? '' : ` (${skipped} not run from this seat)`;
  const summary =
    ran === 0
      ? 'no checks ran'
      : failed === 0
        ? `${ran} of ${ran} checks passed${notRunNote}`
        : `${failed} of ${ran} checks FAILED${notRunNote}`;
  return [...rows, summary].join('\n');
}
