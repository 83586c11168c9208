#!/usr/bin/env bash
# parquet-check.sh — the Parquet files of a result directory read by an
# independent reader. Installs DuckDB's Node client from the npm registry
# (@duckdb/node-api, whose native binary ships inside the registry package
# @duckdb/node-bindings-linux-x64) into a cache directory, runs
# `smesim run policy-mix` (8 arms with failures, cascades and undefined
# headline metrics) with --format both, and checks with
# .ci/parquet-check.mjs that every .parquet file equals its CSV value for
# value, carries units and descriptions for its columns, and that
# runs.parquet recomputes every headline mean of summary.json. Needs Go,
# node and npm. Prints "parquet-check: PASS" or exits non-zero naming the
# first difference.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# The DuckDB client is kept between runs on this machine (installing takes
# a few seconds); the version is pinned so that a new release cannot change
# what CI reads.
duckdb_version=1.5.6-r.1
cache=${PARQUET_CHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smesim-parquet-check}
if [[ ! -f "$cache/node_modules/@duckdb/node-api/package.json" ]] ||
	[[ "$(node -p "require('$cache/node_modules/@duckdb/node-api/package.json').version")" != "$duckdb_version" ]]; then
	start=$SECONDS
	mkdir -p "$cache"
	[[ -f "$cache/package.json" ]] || echo '{"private": true}' >"$cache/package.json"
	npm install --prefix "$cache" --no-audit --no-fund --silent "@duckdb/node-api@$duckdb_version"
	echo "parquet-check: installed @duckdb/node-api@$duckdb_version in $((SECONDS - start)) s"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/smesim" ./cmd/smesim
"$tmp/smesim" run policy-mix --replications 2 --format both --plots none --out "$tmp/out" >/dev/null

# The checker is run from the cache so that node finds the client there.
cp "$root/.ci/parquet-check.mjs" "$cache/parquet-check.mjs"
node "$cache/parquet-check.mjs" "$tmp/out"
echo "parquet-check: PASS"
