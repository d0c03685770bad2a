import Handlebars from 'handlebars';
import type { RenderedFile } from '../types.js';
import { PARTIALS_DIR, type Templates } from './templates.js';

export type Render = (path: string, view: object, executable?: boolean) => RenderedFile;

/**
 * One Handlebars setup for every renderer: a private instance (partials never leak between
 * renders), `noEscape` because HTML escaping would corrupt shell and HCL (each view encodes its
 * own values), and `strict` so a misspelt field fails the render instead of printing nothing.
 * Output `path` is read from the template `${folder}${path}.hbs`.
 */
export function createRenderer(templates: Templates, folder = ''): Render {
  const handlebars = Handlebars.create();
  for (const [path, text] of Object.entries(templates)) {
    if (path.startsWith(PARTIALS_DIR)) handlebars.registerPartial(path.replace(/\.hbs$/, ''), text);
  }
  return (path, view, executable = false) => {
    const source = templates[`${folder}${path}.hbs`];
    if (source === undefined) throw new Error(`missing template ${folder}${path}.hbs`);
    const content = handlebars.compile(source, { strict: true, noEscape: true })(view);
    return executable ? { path, content, executable } : { path, content };
  };
}
