export {
  jobFileName,
  type ReencryptRenderInput,
  renderReencryptFiles,
  renderReencryptReadmeSection,
} from './render-reencrypt-files.js';
