import type { Plan, RenderedFile } from '../types.js';
import { renderClientModule } from './client-module-view.js';
import { cloudFormationView } from './cloudformation-view.js';
import { createRenderer } from './create-renderer.js';
import { allDocuments, planDocuments } from './documents.js';
import type { SetupLock } from './lock.js';
import { readmeView } from './readme-view.js';
import { renderReencryptFiles, renderReencryptReadmeSection } from './reencrypt/render-reencrypt-files.js';
import { awsCliSnippetView, setupView } from './shell-views.js';
import { snippetView } from './snippet-view.js';
import type { Templates } from './templates.js';
import { terraformView } from './terraform-view.js';
import { verifyView } from './verify-view.js';

/**
 * Plan -> files. Pure: the templates come in as text, the files go out as data. Each output
 * file has one template; variations are `{{#if}}` blocks and partials in templates/_partials/.
 * `lock` is what render read from the account (see lock-plan.ts); without it, rendered offline.
 */
export function renderPlan(plan: Plan, templates: Templates, lock?: SetupLock): RenderedFile[] {
  const render = createRenderer(templates);
  const documents = planDocuments(plan);
  const terraform = terraformView(plan, documents, lock);
  const snippets = snippetView(plan);
  const cloudFormation = cloudFormationView(plan, documents);
  return [
    render('README.md', readmeView(plan, documents, renderReencryptReadmeSection(plan, templates))),
    render('setup.sh', setupView(plan, lock), true),
    render('verify.sh', verifyView(plan), true),
    ...allDocuments(documents).map((document) => ({
      path: `policies/${document.file}`,
      content: `${document.text}\n`,
    })),
    render('terraform/versions.tf', terraform),
    render('terraform/variables.tf', terraform),
    render('terraform/main.tf', terraform),
    render('terraform/outputs.tf', terraform),
    ...(cloudFormation.hasResources ? [render('cloudformation/template.yaml', cloudFormation)] : []),
    render('cloudformation/README.md', cloudFormation),
    render('snippets/upload.mjs', snippets),
    render('snippets/upload_boto3.py', snippets),
    render('snippets/upload_extra_args.py', snippets),
    render('snippets/aws-cli.sh', awsCliSnippetView(plan), true),
    ...renderReencryptFiles(plan, documents, templates),
    ...renderClientModule(plan, render),
  ];
}
