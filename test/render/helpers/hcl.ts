import { parse } from '@cdktf/hcl2json';

/** hcl2json keeps template escapes in the text it returns; HCL itself would collapse them. */
export function unescapeTemplate(text: string): string {
  return text.replaceAll('$${', '${').replaceAll('%%{', '%{');
}

// biome-ignore lint/suspicious/noExplicitAny: hcl2json returns untyped JSON.
export type Hcl = Record<string, any>;

export async function parseHcl(fileName: string, text: string): Promise<Hcl> {
  return (await parse(fileName, text)) as Hcl;
}
