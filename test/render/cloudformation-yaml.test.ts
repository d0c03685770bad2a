// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is text under test, not a JS template.
import { describe, expect, test } from 'vitest';
import { emitYaml, type YamlValue, yamlScalar } from '../../src/render/yaml-emit.js';
import { parseYamlAll } from './cloudformation-parse.js';

/* The YAML emitter under cloudformation/template.yaml, read back by PyYAML. */

// Strings that YAML 1.1 or 1.2 would read as something else, or that break a plain scalar.
const HOSTILE = [
  '',
  ' ',
  'plain',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '2012-10-17',
  '2001-12-14t21:59:43.10-05:00',
  '1:20',
  '0x1F',
  '0o17',
  '012',
  '1_000',
  '1e3',
  '.inf',
  '-.Inf',
  '.NaN',
  '- item',
  '-',
  '? key',
  'a: b',
  'a:',
  'key:value',
  'a #comment',
  '#comment',
  ' leading',
  'trailing ',
  '*alias',
  '&anchor',
  '!tag',
  '!!str',
  '%YAML',
  '@at',
  '`tick',
  '{flow}',
  '[flow]',
  '|',
  '>',
  ',',
  '<<',
  '=',
  "'single'",
  '"double"',
  'back\\slash',
  'line\nbreak',
  'two\n\nbreaks\n',
  'tab\there',
  'carriage\rreturn',
  '\u0000nul',
  '\u0085next-line',
  '\u2028line-separator',
  '\ufeffbom',
  'ünïcødé ✓',
  'astral 😀',
  '${aws:username}',
  '<KEY_ARN>',
  'Fn::GetAtt',
  'arn:aws:s3:::acme-invoices/*',
  's3:*',
  'kms:EncryptionContext:aws:s3:arn',
  '---',
  '...',
];

const NESTED: YamlValue = {
  empty_list: [],
  empty_map: {},
  list_of_lists: [[1, 2], [], [['deep']], [{}]],
  list_of_maps: [{ a: 'x', b: [true, false] }, { '': 'empty key' }],
  numbers: [0, -1, 365, Number.MAX_SAFE_INTEGER],
  booleans: { t: true, f: false },
  strings: HOSTILE,
};

describe('emitYaml', () => {
  test('every hostile string comes back as the same string, as a value and as a key', () => {
    const asKeys = Object.fromEntries(HOSTILE.map((text, index) => [text, index]));
    const texts = [...HOSTILE.map((text) => emitYaml({ value: text })), emitYaml(asKeys), emitYaml(HOSTILE)];
    const parsed = parseYamlAll(texts);
    HOSTILE.forEach((text, index) => {
      expect(parsed[index], JSON.stringify(text)).toEqual({ value: text });
    });
    expect(parsed[HOSTILE.length]).toEqual(asKeys);
    expect(parsed[HOSTILE.length + 1]).toEqual(HOSTILE);
  });

  test('nested sequences and mappings, empty ones, integers and booleans round-trip', () => {
    const [parsed] = parseYamlAll([emitYaml(NESTED)]);
    expect(parsed).toEqual(NESTED);
  });

  test('the output is printable ASCII and newlines, whatever the input', () => {
    expect(emitYaml(NESTED)).toMatch(/^[\x20-\x7e\n]*$/);
  });

  test('readable where it is safe: identifiers and ARNs plain, the rest double-quoted', () => {
    expect(yamlScalar('AWS::KMS::Key')).toBe('AWS::KMS::Key');
    expect(yamlScalar('arn:aws:s3:::b/*')).toBe('arn:aws:s3:::b/*');
    expect(yamlScalar('2012-10-17')).toBe('"2012-10-17"');
    expect(yamlScalar('yes')).toBe('"yes"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlScalar('*')).toBe('"*"');
    expect(emitYaml({ a: [{ b: 1, c: [2] }] })).toBe('a:\n  - b: 1\n    c:\n      - 2\n');
  });

  test('values it cannot write exactly are refused, not approximated', () => {
    expect(() => yamlScalar(1.5)).toThrow(/not an emittable number/);
    expect(() => yamlScalar(-0)).toThrow(/not an emittable number/);
    expect(() => emitYaml({ a: null as unknown as YamlValue })).toThrow(/null/);
  });
});
