// Bundles the web editor into dist/: app.js (CodeMirror, marked, KaTeX and
// the page's code), app.css (the page's styles and KaTeX's, with its fonts)
// and index.html. No network at build or run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  absWorkingDir: here,
};
await build({
  ...common,
  entryPoints: { app: 'src/main.js' },
  format: 'esm',
  target: ['es2020'],
  outdir: out,
});
await build({
  ...common,
  entryPoints: { app: 'src/app.css' },
  outdir: out,
  assetNames: 'fonts/[name]-[hash]',
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
console.log(`built ${out}`);
