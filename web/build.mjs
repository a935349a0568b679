// Builds the web UI into dist/: app.HASH.js and app.HASH.css (content-hashed, so the proxy can let browsers cache them
// for a year) and an index.html that names them. Type-checks first (tsc --noEmit) so a type error fails the build.
// Usage: node build.mjs [--no-check]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist');

if (!process.argv.includes('--no-check')) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { stdio: 'inherit' });
  } catch {
    console.error('web UI: type check failed (the errors are above)');
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.ts' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  entryNames: '[name].[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map(file => basename(file));
const script = outputs.find(file => file.endsWith('.js'));
const style = outputs.find(file => file.endsWith('.css'));
if (!script || !style) {
  throw new Error(`esbuild produced no script or no stylesheet: ${outputs.join(', ')}`);
}

writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Teleport</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/web/app/${style}">
<script defer src="/web/app/${script}"></script>
</head>
<body>
<div id="app"><noscript>The Teleport web UI needs JavaScript.</noscript></div>
</body>
</html>
`);
console.log(`web UI built: ${script}, ${style}`);
