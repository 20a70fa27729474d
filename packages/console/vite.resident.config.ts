import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './precompress.ts';

/**
 * The resident page (/m/): built after the console into the same directory, on its own — none of its chunks is
 * shared with the console's, so its first screen carries only what the page itself uses. Its manifest is
 * `.vite/resident-manifest.json`.
 */
export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist', emptyOutDir: false, chunkSizeWarningLimit: 2000, manifest: '.vite/resident-manifest.json',
    rollupOptions: { input: { resident: 'm/index.html' } },
  },
});
