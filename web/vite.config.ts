import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The team inbox. Built to web/dist and served by the API server at `/` (SPA fallback).
// `ERRATA_API` points the dev server's proxy at a running API (default http://127.0.0.1:3000).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    manifest: true,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': { target: process.env.ERRATA_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
