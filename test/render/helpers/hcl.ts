import { parse } from '@cdktf/hcl2json';

/**
 * The string HCL makes of a template that must be a plain literal. hcl2json returns a
 * template's source text: an escape stays `$${` / `%%{`, and a live interpolation or
 * directive stays `${` / `%{`. Read left to right as HCL's scanner does, an escape becomes
 * its literal and anything live throws, so a value that became an expression never compares
 * equal to the value it came from.
 */
export function unescapeTemplate(text: string): string {
  let literal = '';
  for (let at = 0; at < text.length; ) {
    const rest = text.slice(at);
    if (rest.startsWith('$${') || rest.startsWith('%%{')) {
      literal += `${rest[0]}{`;
      at += 3;
    } else if (rest.startsWith('${') || rest.startsWith('%{')) {
      throw new Error(`a live template sequence at ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
    } else {
      literal += rest[0];
      at += 1;
    }
  }
  return literal;
}

// biome-ignore lint/suspicious/noExplicitAny: hcl2json returns untyped JSON.
export type Hcl = Record<string, any>;

export async function parseHcl(fileName: string, text: string): Promise<Hcl> {
  return (await parse(fileName, text)) as Hcl;
}
