/**
 * The one way a value enters rendered Terraform. HCL has two string contexts:
 *
 * - quoted strings ("..."), where backslash escapes apply and `${` / `%{` start
 *   interpolation and template directives;
 * - heredocs (<<-EOT), where backslash escapes do NOT apply (a `\"` stays two characters),
 *   but `${` and `%{` still do.
 *
 * Both escape `${` as `$${` and `%{` as `%%{`, so a value can never become an expression.
 */
// Replacement functions, not strings: in a replacement string `$$` means a single `$`.
function escapeTemplateSequences(value: string): string {
  return value.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
}

/** Escapes text for the inside of an HCL quoted string. */
export function hclEscape(value: string): string {
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\r', '\\r')
    .replaceAll('\n', '\\n')
    .replaceAll('\t', '\\t');
  return escapeTemplateSequences(escaped);
}

/** A complete HCL quoted-string literal. */
export function hclString(value: string): string {
  return `"${hclEscape(value)}"`;
}

/**
 * Text for the body of an HCL heredoc: only the template sequences are escaped, because
 * heredocs take every other character literally. The caller must keep the delimiter off
 * any line of its own; `hclHeredoc` checks that.
 */
export function hclHeredocEscape(value: string): string {
  return escapeTemplateSequences(value);
}

/**
 * An indented heredoc (`<<-DELIM`); Terraform strips the common leading indentation, so
 * the body comes back exactly as given. `interpolations` are applied after escaping, to
 * turn a known literal (such as the key-ARN placeholder) into a real Terraform reference.
 */
export function hclHeredoc(
  body: string,
  options: { delimiter: string; indent: string; interpolations?: ReadonlyArray<[string, string]> },
): string {
  let escaped = hclHeredocEscape(body);
  for (const [literal, expression] of options.interpolations ?? []) {
    escaped = escaped.replaceAll(hclHeredocEscape(literal), () => `\${${expression}}`);
  }
  const lines = escaped.split('\n');
  if (lines.some((line) => line.trim() === options.delimiter)) {
    throw new Error(`heredoc body contains its own delimiter ${options.delimiter} on a line`);
  }
  const indented = lines.map((line) => (line === '' ? '' : `${options.indent}  ${line}`)).join('\n');
  return `<<-${options.delimiter}\n${indented}\n${options.indent}${options.delimiter}`;
}
