import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// The extension host loads the dashboard from fixed file names (dist/webview/main.js and
// main.css) so it never has to read a manifest; no hashing, no code splitting, no eval.
export default defineConfig({
  base: './',
  build: {
    outDir: resolve(__dirname, '../dist/webview'),
    emptyOutDir: true,
    target: 'es2022',
    cssCodeSplit: false,
    modulePreload: false,
    sourcemap: false,
    rollupOptions: {
      input: resolve(__dirname, 'src/main.ts'),
      output: {
        format: 'iife',
        entryFileNames: 'main.js',
        assetFileNames: (asset) => (asset.names?.[0]?.endsWith('.css') ? 'main.css' : '[name][extname]'),
      },
    },
  },
});
