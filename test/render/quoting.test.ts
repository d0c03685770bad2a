// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Terraform or shell text under test, not a JS template.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hclEscape, hclHeredoc, hclHeredocEscape, hclString } from '../../src/render/hcl-escape.js';
import { shellQuote } from '../../src/render/shell-quote.js';
import { parseHcl, unescapeTemplate } from './helpers/hcl.js';

/*
 * The two encoders every rendered value goes through, round-tripped through the real
 * interpreters: bash for shellQuote, the HCL parser behind Terraform (hcl2json) for HCL.
 */

const HOSTILE = [
  'plain',
  '',
  "it's",
  "'",
  "''",
  '"double" quotes',
  '$(touch /tmp/ceb-pwned)',
  '`touch /tmp/ceb-pwned`',
  '$HOME ${HOME} $((1+1))',
  'a\nb\n',
  '\ttab and trailing space ',
  '* ? [a-z] ~ !',
  '; rm -rf / #',
  '${aws_kms_key.this.arn}',
  '%{ if true }x%{ endif }',
  '$${already} %%{escaped}',
  'back\\slash \\n \\"',
  'ünïcødé ✓',
  'carriage\rreturn',
  'SSE-KMS Statement',
];

describe('shellQuote', () => {
  test.each(HOSTILE)('bash reads %j back exactly, running nothing', (value) => {
    const result = spawnSync('bash', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(value);
  });

  test('every hostile value at once, as separate words: each comes back byte for byte and nothing runs', () => {
    const sentinel = join(mkdtempSync(join(tmpdir(), 'ceb-quote-')), 'ran');
    const values = [...HOSTILE, `$(touch ${sentinel})`, `\`touch ${sentinel}\``, `"; touch ${sentinel}; "`];
    const script = `printf '%s\\0' ${values.map(shellQuote).join(' ')}`;
    const result = spawnSync('bash', ['-c', script]);
    expect(result.stderr.toString()).toBe('');
    expect(Buffer.compare(result.stdout, Buffer.from(values.map((value) => `${value}\0`).join('')))).toBe(0);
    expect(existsSync(sentinel)).toBe(false);
  });

  test('refuses a NUL byte, which no shell argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('hclString', () => {
  test.each(HOSTILE)('Terraform parses %j back as the same string, never an expression', async (value) => {
    const parsed = await parseHcl('value.tf', `locals {\n  value = ${hclString(value)}\n}\n`);
    expect(unescapeTemplate(parsed.locals[0].value)).toBe(value);
  });
});

describe('the HCL checks above', () => {
  test.each(['${aws_kms_key.this.arn}', '%{ if true }x%{ endif }', 'a$${b}${c}'])(
    'see %j written unescaped as the expression it is',
    async (value) => {
      const parsed = await parseHcl('raw.tf', `locals {\n  value = "${value}"\n}\n`);
      expect(() => unescapeTemplate(parsed.locals[0].value)).toThrow(/live template sequence/);
    },
  );
});

describe('hclHeredoc', () => {
  test.each(HOSTILE.filter((value) => !value.includes('\n')))(
    'a heredoc carries %j through unchanged (no backslash escapes in heredocs)',
    async (value) => {
      const body = JSON.stringify({ value }, null, 2);
      const heredoc = hclHeredoc(body, { delimiter: 'POLICY', indent: '  ' });
      const parsed = await parseHcl('heredoc.tf', `locals {\n  doc = ${heredoc}\n}\n`);
      expect(JSON.parse(unescapeTemplate(parsed.locals[0].doc))).toEqual({ value });
    },
  );

  test('turns a placeholder into a reference only after escaping, so the value cannot forge one', async () => {
    const body = JSON.stringify({ key: '<KEY_ARN>', fake: '${aws_kms_key.this.arn}' }, null, 2);
    const heredoc = hclHeredoc(body, {
      delimiter: 'POLICY',
      indent: '',
      interpolations: [['<KEY_ARN>', 'aws_kms_key.this.arn']],
    });
    expect(heredoc).toContain('"key": "${aws_kms_key.this.arn}"');
    expect(heredoc).toContain('"fake": "$${aws_kms_key.this.arn}"');
  });

  test('refuses a body that would end the heredoc early, indented or not', () => {
    expect(() => hclHeredoc('{\nPOLICY\n}', { delimiter: 'POLICY', indent: '' })).toThrow(/delimiter/);
    // <<- strips indentation, so an indented delimiter line ends the heredoc too.
    expect(() => hclHeredoc('{\n  POLICY \n}', { delimiter: 'POLICY', indent: '' })).toThrow(/delimiter/);
  });

  test('keeps empty lines empty, so the body comes back exactly', async () => {
    const body = 'first\n\n  indented\n\nlast';
    const heredoc = hclHeredoc(body, { delimiter: 'TEXT', indent: '    ' });
    expect(heredoc.split('\n').filter((line) => line.trim() === '')).toEqual(['', '']);
    const parsed = await parseHcl('empty-lines.tf', `locals {\n  text = ${heredoc}\n}\n`);
    expect(unescapeTemplate(parsed.locals[0].text)).toBe(`${body}\n`);
  });
});

describe('the exact encodings', () => {
  test('shellQuote wraps in single quotes and closes, escapes and reopens each embedded one', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('plain $x')).toBe("'plain $x'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("''")).toBe("''\\'''\\'''");
    expect(() => shellQuote('\0')).toThrow('a shell argument cannot contain a NUL byte');
  });

  test('hclEscape escapes backslash first, then quotes, CR, LF, tab and both template sequences', () => {
    expect(hclEscape('a\\b"c\rd\ne\tf')).toBe('a\\\\b\\"c\\rd\\ne\\tf');
    expect(hclEscape('\\n')).toBe('\\\\n');
    expect(hclEscape('${x} %{y} $${z} $x %y {')).toBe('$${x} %%{y} $$${z} $x %y {');
    expect(hclString('say "${hi}"')).toBe('"say \\"$${hi}\\""');
  });

  test('a heredoc body keeps backslashes and quotes, escaping only template sequences', () => {
    expect(hclHeredocEscape('"a\\n" ${b} %{c}')).toBe('"a\\n" $${b} %%{c}');
    expect(hclHeredoc('line 1\n\n"${x}"', { delimiter: 'EOT', indent: '  ' })).toBe(
      '<<-EOT\n    line 1\n\n    "$${x}"\n  EOT',
    );
    expect(
      hclHeredoc('<K> and <K>', { delimiter: 'EOT', indent: '', interpolations: [['<K>', 'var.k']] }),
    ).toBe('<<-EOT\n  ${var.k} and ${var.k}\nEOT');
    expect(() => hclHeredoc('x\n  EOT\t\ny', { delimiter: 'EOT', indent: '' })).toThrow(
      'heredoc body contains its own delimiter EOT on a line',
    );
    expect(hclHeredoc('EOTX\nxEOT', { delimiter: 'EOT', indent: '' })).toBe('<<-EOT\n  EOTX\n  xEOT\nEOT');
  });
});
