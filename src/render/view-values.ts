/**
 * Text already written in the target language (a Terraform reference, a heredoc built by
 * hcl-escape): views pass it through unchanged. Everything else that is a string gets
 * encoded, so a template cannot print a raw value by forgetting a helper.
 */
export class Verbatim {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export function verbatim(text: string): Verbatim {
  return new Verbatim(text);
}

export type ViewValue =
  | string
  | number
  | boolean
  | Verbatim
  | readonly ViewValue[]
  | { readonly [key: string]: ViewValue };

/** Encodes every string in a view for one target language (shell, HCL, JS/Python source). */
export function encodeView<T extends ViewValue>(view: T, encode: (value: string) => string): T {
  const walk = (value: ViewValue): ViewValue => {
    if (typeof value === 'string') return encode(value);
    if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Verbatim) return value;
    if (Array.isArray(value)) return value.map(walk);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
  };
  return walk(view) as T;
}

/**
 * A JSON string literal, which is also a valid JavaScript and Python string literal: the
 * encoding for values in the snippets.
 */
export function sourceString(value: string): string {
  return JSON.stringify(value);
}
