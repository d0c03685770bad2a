import Handlebars from 'handlebars';
import type { Plan, RenderedFile } from '../types.js';
import { allDocuments, planDocuments } from './documents.js';
import { readmeView } from './readme-view.js';
import { awsCliSnippetView, setupView, verifyView } from './shell-views.js';
import { snippetView } from './snippet-view.js';
import { PARTIALS_DIR, type Templates } from './templates.js';
import { terraformView } from './terraform-view.js';

/**
 * Plan -> files. Pure: the templates come in as text, the files go out as data. Each output
 * file has one template; variations are `{{#if}}` blocks and partials in templates/_partials/.
 */
export function renderPlan(plan: Plan, templates: Templates): RenderedFile[] {
  // A private instance, so partials registered here never leak between renders.
  const handlebars = Handlebars.create();
  for (const [path, text] of Object.entries(templates)) {
    if (path.startsWith(PARTIALS_DIR)) handlebars.registerPartial(path.replace(/\.hbs$/, ''), text);
  }
  const render = (path: string, view: object, executable = false): RenderedFile => {
    const source = templates[`${path}.hbs`];
    if (source === undefined) throw new Error(`missing template ${path}.hbs`);
    // noEscape: HTML escaping would corrupt shell and HCL; each view encodes its own values.
    // strict: a misspelt field fails the render instead of printing nothing.
    const content = handlebars.compile(source, { strict: true, noEscape: true })(view);
    return executable ? { path, content, executable } : { path, content };
  };

  const documents = planDocuments(plan);
  const terraform = terraformView(plan, documents);
  const snippets = snippetView(plan);
  return [
    render('README.md', readmeView(plan, documents)),
    render('setup.sh', setupView(plan), true),
    render('verify.sh', verifyView(plan), true),
    ...allDocuments(documents).map((document) => ({
      path: `policies/${document.file}`,
      content: `${document.text}\n`,
    })),
    render('terraform/versions.tf', terraform),
    render('terraform/variables.tf', terraform),
    render('terraform/main.tf', terraform),
    render('terraform/outputs.tf', terraform),
    render('snippets/upload.mjs', snippets),
    render('snippets/upload_boto3.py', snippets),
    render('snippets/upload_extra_args.py', snippets),
    render('snippets/aws-cli.sh', awsCliSnippetView(plan), true),
  ];
}
