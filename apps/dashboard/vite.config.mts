import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The dashboard is served by the api and embedded apps under /dashboard/ from dist/dashboard:
// fingerprinted assets (cached for good), one index.html for every page path.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 1024,
  },
});
