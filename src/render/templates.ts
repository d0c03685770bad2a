/** Template text by path relative to templates/, e.g. `terraform/main.tf.hbs`. */
export type Templates = Record<string, string>;

/** Templates under this folder are partials, registered by their path without `.hbs`. */
export const PARTIALS_DIR = '_partials/';
