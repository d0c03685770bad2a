export { renderReencryptFiles, renderReencryptReadmeSection } from './render-reencrypt-files.js';
