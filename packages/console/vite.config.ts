import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Two pages: the staff console (index.html) and the resident page (m/index.html), each with its own
 * entry, so that a resident's phone never downloads the console. Screens load on first use.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, manifest: true,
    rollupOptions: { input: { console: 'index.html', resident: 'm/index.html' } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
