#!/bin/sh
# compare.sh FIRMS SEED DIR: total production of smesim and of Inoue and
# Todo's ProductionNetworkSimulator on the same generated network and
# damage table, 120 daily steps, with the largest relative difference.
#
# Needs g++ and the Boost headers (Debian: apt-get install g++ libboost-dev).
# PRONET_SRC may name their proNet.cpp; otherwise it is cloned from GitHub
# (commit c4dd74d). RATIONING=1 compares their -R 1 (final demand served
# last) with production.rationing = "final-demand-last"; the default is
# their -R 0, proportional. Run from the repository root:
#
#	sh testdata/inouetodo/compare.sh 10000 1 /tmp/it10k
set -eu
firms=${1:-10000}
seed=${2:-1}
dir=${3:-/tmp/inouetodo-compare}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
if [ -z "${PRONET_SRC:-}" ]; then
	[ -d "$dir/pns" ] || git clone -q https://github.com/HiroyasuInoue/ProductionNetworkSimulator "$dir/pns"
	git -C "$dir/pns" checkout -q c4dd74d
	PRONET_SRC=$dir/pns/proNet.cpp
fi
# Without -fopenmp their loops run in order, as ours do.
g++ -std=c++11 -O2 -o "$dir/proNet" "$PRONET_SRC"
go build -o "$dir/smesim" ./cmd/smesim
go run "$here/gen.go" -firms "$firms" -seed "$seed" -out "$dir"
rationing=${RATIONING:-0}
case $rationing in
0) rule=proportional ;;
1) rule=final-demand-last ;;
*) echo "RATIONING must be 0 or 1" >&2; exit 2 ;;
esac
sed "s/^inventories = \"link\"/&\nrationing = \"$rule\"/" "$here/scenario.toml" >"$dir/scenario.toml"
cd "$dir"
./proNet -m -R "$rationing" -t 120 -Z damage.txt -X pact.txt -v va.txt links.txt final.txt pini.txt affiliation.txt >/dev/null
rm -rf out
./smesim run scenario.toml --out out --plots none --format csv >/dev/null
# smesim's timeseries holds 10 significant digits.
grep ',output,' out/timeseries.csv | awk -F, '{print $3, $6}' >smesim.txt
awk 'NR == FNR { it[$1] = $2; next }
	($1 in it) { d = ($2 - it[$1]) / it[$1]; if (d < 0) d = -d; if (d > worst) { worst = d; at = $1 }; n++ }
	END { printf "%d steps compared, largest relative difference %.3g (step %d)\n", n, worst, at }' pact.txt smesim.txt
awk 'NR == 1 || $1 == 0 || $1 == 30 || $1 == 60 || $1 == 119' pact.txt | sed 's/^/inoue-todo /'
awk '$1 == 0 || $1 == 30 || $1 == 60 || $1 == 119' smesim.txt | sed 's/^/smesim     /'
