// Layers of the code, each importing only those below it:
//   platform -> contracts -> store | bus -> projection -> domains (libs/<input>) -> registry -> apps
// `npm run lint` fails on an import that goes back up, across domains, or round in a cycle.
const SHARED = 'platform|contracts|store|bus|projection|registry';
const above = (...layers) => ({ path: `^(libs/(${layers.join('|')})/|apps/|bench/|test/)` });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'platform-imports-nothing-above',
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^(libs/(?!platform/)|apps/|bench/|test/)' },
    },
    {
      name: 'contracts-import-only-platform',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^(libs/(?!platform/|contracts/)|apps/|bench/|test/)' },
    },
    {
      name: 'store-is-below-bus-and-projection',
      severity: 'error',
      from: { path: '^libs/store/' },
      to: { path: '^(libs/(?!platform/|contracts/|store/)|apps/|bench/|test/)' },
    },
    {
      name: 'bus-is-below-projection',
      severity: 'error',
      from: { path: '^libs/bus/' },
      to: { path: '^(libs/(?!platform/|contracts/|bus/)|apps/|bench/|test/)' },
    },
    {
      name: 'projection-is-below-the-domains',
      severity: 'error',
      from: { path: '^libs/projection/' },
      to: { path: `^(libs/(?!(platform|contracts|store|bus|projection)/)|apps/|bench/|test/)` },
    },
    {
      name: 'a-domain-imports-no-other-domain-nor-anything-above',
      severity: 'error',
      from: { path: `^libs/(?!(?:${SHARED})/)([^/]+)/` },
      to: { path: '^(libs/(?!(?:platform|contracts|store|bus|projection|$1)/)|apps/|bench/|test/)' },
    },
    {
      name: 'registry-imports-no-app',
      severity: 'error',
      from: { path: '^libs/registry/' },
      to: above(),
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|\\.cache)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
