/** The HTTP API and web UI server (`iamsight serve`, `iamsight demo`; issue #8). */
export {
  BODY_LIMIT,
  checkBinding,
  CONTENT_SECURITY_POLICY,
  createServer,
  defaultStaticDir,
  isLoopbackHost,
  MIN_TOKEN_LENGTH,
  ServerConfigError,
  startServer,
  type ServerOptions,
} from './app.js';
export {
  fixedAnalysis,
  LoadedAnalysis,
  loadingAnalysis,
  readyAnalysis,
  type AnalysisProvider,
  type AnalysisState,
} from './analysis.js';
export { DEMO_DEFAULTS, recordDemoScans, startDemo, type Demo, type DemoOptions } from './demo.js';
export { ApiProblem, VERSION } from './problem.js';
