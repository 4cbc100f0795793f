/**
 * Encodes the layer order of DESIGN.md §2: imports only point down this list.
 *   model ← catalog ← policy ← graph ← usage ← detections ← findings ← store ← server/cli
 * ingest and collect produce model types (they may use model and catalog, nothing above).
 * Only src/collect imports @aws-sdk/*.
 */
const order = ['model', 'catalog', 'policy', 'graph', 'usage', 'detections', 'findings', 'store'];
const forbidden = [];
order.forEach((layer, i) => {
  // Tests of a layer may read inputs the way users do (ingest) and use generated estates: they
  // build snapshots from real formats. Upper layers stay off-limits to them too.
  const above = order.slice(i + 1).concat(['server', 'cli', 'collect']);
  forbidden.push({
    name: `${layer}-imports-only-below`,
    comment: `src/${layer} may not import from a layer above it (DESIGN.md §2)`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${above.join('|')})/` },
  });
  forbidden.push({
    name: `${layer}-product-not-ingest`,
    comment: `src/${layer} analyses snapshots; only its tests read input formats`,
    severity: 'error',
    from: { path: `^src/${layer}/`, pathNot: '\\.test\\.ts$' },
    to: { path: '^src/(ingest|generate)/' },
  });
});
forbidden.push(
  {
    name: 'ingest-produces-model',
    comment: 'src/ingest may use model and catalog only',
    severity: 'error',
    from: { path: '^src/ingest/' },
    to: { path: '^src/(policy|graph|usage|detections|findings|store|server|cli|collect)/' },
  },
  {
    name: 'collect-produces-model',
    comment: 'src/collect may use model, catalog and ingest only',
    severity: 'error',
    from: { path: '^src/collect/' },
    to: { path: '^src/(policy|graph|usage|detections|findings|store|server|cli)/' },
  },
  {
    name: 'generate-writes-raw-aws-formats',
    comment: 'src/generate writes the formats AWS produces; it may use src/model only',
    severity: 'error',
    from: { path: '^src/generate/' },
    to: {
      path: '^src/(catalog|ingest|collect|policy|graph|usage|detections|findings|store|server|cli)/',
    },
  },
  {
    name: 'server-not-cli',
    severity: 'error',
    from: { path: '^src/server/' },
    to: { path: '^src/cli/' },
  },
  {
    name: 'aws-sdk-only-in-collect',
    comment: 'Only the collector talks to AWS (DESIGN.md §1)',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/collect/' },
    to: { path: 'node_modules/@aws-sdk/' },
  },
  {
    name: 'no-circular',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'not-to-unresolvable',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true },
  },
  {
    name: 'no-test-code-in-product',
    comment: 'product code does not import tests or test support',
    severity: 'error',
    from: { path: '^src/', pathNot: '(\\.test\\.ts$|/test-support/)' },
    to: { path: '(\\.test\\.ts$|/test-support/)' },
  },
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
