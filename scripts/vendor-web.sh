#!/usr/bin/env bash
# Rebuild the web workbench's vendored JavaScript and map data from the npm registry.
# The files are committed under src/storyline/web/static/vendor so storyline serves them itself:
# analysts are often offline, and a page must never load code from a CDN.
# vega-interpreter ships only as an ES module; esbuild bundles it into one classic script that
# sets `globalThis.vegaInterpreter`, so charts render under a CSP without 'unsafe-eval'.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/storyline/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund \
  htmx.org@2.0.11 vega@6.4.0 vega-lite@6.4.3 vega-interpreter@2.3.2 world-atlas@2.0.2 \
  swagger-ui-dist@5.35.0 esbuild@0.28.2
printf "import { expressionInterpreter } from 'vega-interpreter';\nglobalThis.vegaInterpreter = expressionInterpreter;\n" > interp.js
npx esbuild interp.js --bundle --minify --format=iife --outfile=vega-interpreter.min.js
mkdir -p "$dest/licenses"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js "$dest/"
cp vega-interpreter.min.js "$dest/"
cp node_modules/world-atlas/countries-110m.json "$dest/"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css "$dest/"
for p in htmx.org vega vega-lite vega-interpreter world-atlas swagger-ui-dist; do
  cp "node_modules/$p/LICENSE" "$dest/licenses/$p.LICENSE" 2>/dev/null \
    || cp "node_modules/$p/LICENSE.md" "$dest/licenses/$p.LICENSE"
done
{
  echo "# Vendored by scripts/vendor-web.sh from the npm registry; do not edit by hand."
  for p in htmx.org vega vega-lite vega-interpreter world-atlas swagger-ui-dist; do
    echo "$p $(node -p "require('./node_modules/$p/package.json').version")"
  done
} > "$dest/VERSIONS.txt"
