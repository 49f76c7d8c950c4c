import { defineConfig } from 'vite';

// The page is served by the query API at / (same origin as the reads), so every asset path is
// relative to it.
export default defineConfig({
  root: 'src',
  base: './',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2020', sourcemap: true, chunkSizeWarningLimit: 300 },
});
