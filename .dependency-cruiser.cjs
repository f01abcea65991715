// Layers of the code, each importing only those before it:
//   platform -> contracts -> store | bus -> projection | access -> inputs (libs/<input>) -> registry -> apps
// `npm run lint` fails on an import that goes back up, from one input into another, or in a cycle.
const SHARED = ['platform', 'contracts', 'store', 'bus', 'projection', 'access'];

/** Files under `from` may import only the libs in `allowed` (and never apps, bench or tests). */
function onlyImports(name, from, allowed) {
  return {
    name,
    severity: 'error',
    from: { path: from },
    to: { path: `^(libs/(?!(?:${allowed.join('|')})/)|apps/|bench/|test/)` },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    onlyImports('platform-imports-nothing-above', '^libs/platform/', ['platform']),
    onlyImports('contracts-import-only-platform', '^libs/contracts/', ['platform', 'contracts']),
    onlyImports('store-is-below-bus-and-projection', '^libs/store/', ['platform', 'contracts', 'store']),
    onlyImports('bus-is-below-projection', '^libs/bus/', ['platform', 'contracts', 'bus']),
    onlyImports('projection-is-below-the-inputs', '^libs/projection/', ['platform', 'contracts', 'store', 'bus', 'projection']),
    // The API keys: shared by every input, below all of them.
    onlyImports('access-is-below-the-inputs', '^libs/access/', ['platform', 'contracts', 'store', 'bus', 'access']),
    // $1 is the input's own folder: an input imports the shared layers and itself, nothing else.
    onlyImports('an-input-imports-no-other-input', `^libs/(?!(?:${SHARED.join('|')}|registry)/)([^/]+)/`, [
      ...SHARED,
      '$1',
    ]),
    {
      name: 'registry-imports-no-app',
      severity: 'error',
      from: { path: '^libs/registry/' },
      to: { path: '^(apps|bench|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|\\.cache)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
