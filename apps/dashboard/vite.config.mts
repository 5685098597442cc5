import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));

// Built into dist/dashboard (served at /_/ by `nestbase serve` and the gateway). custom.css is linked
// after the app's own stylesheet by a plugin, so a team's styles win.
export default defineConfig({
  root,
  base: '/_/',
  plugins: [
    vue(),
    {
      name: 'nestbase-custom-css',
      transformIndexHtml: {
        order: 'post',
        handler: () => [{ tag: 'link', attrs: { rel: 'stylesheet', href: '/_/custom.css' }, injectTo: 'head' }],
      },
    },
  ],
  // `npm run dev:dashboard`: hot reload at http://localhost:5173/_/ against a `nestbase serve` on :8090.
  server: {
    proxy: Object.fromEntries(
      ['/api', '/_/custom.css', '/_/extensions'].map((path) => [path, { target: 'http://127.0.0.1:8090' }]),
    ),
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    modulePreload: { polyfill: false },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
