import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './precompress.ts';

/**
 * The staff console (index.html). The resident page (m/index.html) is a build of its own
 * (vite.resident.config.ts), so that a phone downloads neither the console nor the chunks the two would share.
 * Screens load on first use. Text files are written precompressed (brotli and gzip) beside themselves.
 */
export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, manifest: true,
    rollupOptions: { input: { console: 'index.html' } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
