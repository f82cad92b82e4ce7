// Public API of src/rules: alert rule files, the alert state machine, templates and
// promtool-compatible unit tests.
export {
  checkTemplate,
  expandTemplate,
  renderTemplate,
  type TemplateContext,
  type TemplateSample,
} from './template/expand.ts';
export { formatGoFloat } from './template/goFloat.ts';
