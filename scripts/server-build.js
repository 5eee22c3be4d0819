// The server compiled ahead of time (issue 18): `npm install` builds it (postinstall) and
// `bin/errata.js` runs it, so no TypeScript is compiled at start-up. Plain JavaScript on purpose:
// it runs before any TypeScript loader exists.
//
// One ESM bundle of our own code (src/), every package in node_modules left external, with a
// linked source map so stack traces name the .ts lines. Code that finds files next to its source
// (`import.meta.dirname`, `import.meta.url`: the guard's models, the migrations, web/dist, the
// PGlite template) is given its source file's location, so it reads the same files as under tsx.
//
// Stale output is impossible: the manifest holds a hash of every file the bundle was made from
// (path and content, as esbuild read them, plus this script and tsconfig.json); `currentServerBuild`
// answers the bundle only when those files still hash the same, else it builds again.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const OUT = path.join('dist', 'server');
const MANIFEST = 'manifest.json';
const ENTRY = path.join('src', 'cli', 'main.ts');
const SELF = path.relative(path.resolve(import.meta.dirname, '..'), import.meta.filename);
/** Files that change the output without being inputs of the bundle. */
const EXTRA = [SELF, 'tsconfig.json'];

/** A fingerprint over (path, content) pairs, order-independent. */
function fingerprint(files) {
  const hash = createHash('sha256');
  for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 20);
}

function readExtra(root, files) {
  for (const file of EXTRA) {
    try {
      files.set(file, readFileSync(path.join(root, file)));
    } catch {
      files.set(file, Buffer.alloc(0));
    }
  }
}

/**
 * The bundle's path when it was built from the sources as they are now, else null. Costs one
 * read of each input (about 2–4 ms for the whole server).
 */
export function freshServerBuild(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, OUT, MANIFEST), 'utf8'));
  } catch {
    return null;
  }
  const files = new Map();
  try {
    for (const file of manifest.inputs) files.set(file, readFileSync(path.join(root, file)));
  } catch {
    return null; // an input is gone: build again (and let the build say what is missing)
  }
  readExtra(root, files);
  if (fingerprint(files) !== manifest.fingerprint) return null;
  const bundle = path.join(root, OUT, manifest.bundle);
  try {
    statSync(bundle);
  } catch {
    return null;
  }
  return bundle;
}

/** Compiles src/ into dist/server/errata-<fingerprint>.js; answers the bundle's path. */
export async function buildServer(root) {
  const esbuild = await import('esbuild');
  const files = new Map();
  const rewrite = {
    name: 'errata-source-locations',
    setup(build) {
      // Only our own files come here (packages are external). The content hashed is exactly the
      // content compiled, so an edit made during the build leaves a fingerprint that mismatches.
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        const source = readFileSync(args.path);
        const relative = path.relative(root, args.path).split(path.sep).join('/');
        files.set(relative, source);
        const directory = path.posix.dirname(relative);
        const contents = source
          .toString('utf8')
          .replace(/\bimport\.meta\.dirname\b/g, `__errataSource(${JSON.stringify(directory)})`)
          .replace(/\bimport\.meta\.filename\b/g, `__errataSource(${JSON.stringify(relative)})`)
          .replace(/\bimport\.meta\.url\b/g, `__errataSourceUrl(${JSON.stringify(relative)})`);
        return { contents, loader: path.extname(args.path).slice(1).replace(/^[cm]/, '') };
      });
    },
  };
  const outDir = path.join(root, OUT);
  mkdirSync(outDir, { recursive: true });
  const staging = path.join(outDir, `.staging-${process.pid}-${Date.now()}.js`);
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(root, ENTRY)],
      outfile: staging,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [rewrite],
      banner: {
        js: [
          "import { fileURLToPath as __errataFileUrlToPath, pathToFileURL as __errataPathToFileUrl } from 'node:url';",
          "import __errataPath from 'node:path';",
          "const __errataRoot = __errataPath.resolve(__errataPath.dirname(__errataFileUrlToPath(import.meta.url)), '..', '..');",
          'const __errataSource = (relative) => __errataPath.join(__errataRoot, relative);',
          'const __errataSourceUrl = (relative) => __errataPathToFileUrl(__errataSource(relative)).href;',
        ].join('\n'),
      },
    });
    readExtra(root, files);
    const print = fingerprint(files);
    const bundle = `errata-${print}.js`;
    // The map's name is in the bundle's last line; point it at the final name before moving both.
    const code = readFileSync(staging, 'utf8').replace(
      `//# sourceMappingURL=${path.basename(staging)}.map`,
      `//# sourceMappingURL=${bundle}.map`,
    );
    writeFileSync(staging, code);
    renameSync(`${staging}.map`, path.join(outDir, `${bundle}.map`));
    renameSync(staging, path.join(outDir, bundle));
    const inputs = [...files.keys()].filter((file) => !EXTRA.includes(file)).sort();
    // The manifest last, and by rename: a process starting meanwhile reads the old one or the new one.
    const manifestTmp = path.join(outDir, `.${MANIFEST}-${process.pid}`);
    writeFileSync(manifestTmp, `${JSON.stringify({ fingerprint: print, bundle, inputs }, null, 1)}\n`);
    renameSync(manifestTmp, path.join(outDir, MANIFEST));
    removeOldBundles(outDir, bundle);
    return path.join(outDir, bundle);
  } finally {
    rmSync(staging, { force: true });
    rmSync(`${staging}.map`, { force: true });
  }
}

/** Earlier bundles, once a minute old (a process that read the previous manifest may be loading one). */
function removeOldBundles(outDir, keep) {
  const cutoff = Date.now() - 60_000;
  for (const name of readdirSync(outDir)) {
    if (!/^errata-.*\.js(\.map)?$/.test(name) || name.startsWith(keep)) continue;
    try {
      if (statSync(path.join(outDir, name)).mtimeMs < cutoff) rmSync(path.join(outDir, name), { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}

/** The bundle to run: the existing one when fresh, else a new build. Throws when it cannot build. */
export async function currentServerBuild(root) {
  return freshServerBuild(root) ?? (await buildServer(root));
}

// `node scripts/server-build.js` (postinstall): build now, and say so.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const root = path.resolve(import.meta.dirname, '..');
  const started = performance.now();
  try {
    const bundle = await buildServer(root);
    process.stdout.write(`errata: server compiled (${path.relative(root, bundle)}, ${Math.round(performance.now() - started)} ms)\n`);
  } catch (error) {
    // Never fails the install: bin/errata.js falls back to compiling at start-up.
    process.stdout.write(`errata: server not compiled (${String(error?.message ?? error)}); start-up will compile it\n`);
  }
}
