#!/bin/sh
# Measures issue 15's slices 4 (screening through the cycle) and 5 (liquidity
# beyond banks, the continuation-value rule) on copies of china-2020, other
# slices absent: docs/design-counterfactual.md, "Slices 4–5 landed: measured".
# Run from the repository root; about 2 minutes on 2 cores. Writes under $OUT.
set -eu
OUT=${OUT:-/tmp/slices45}
REPS=${REPS:-20}
mkdir -p "$OUT"
go build -o "$OUT/smesim" ./cmd/smesim
S="$OUT/smesim"
"$S" init china-2020 > "$OUT/china-2020.toml"
here=$(dirname "$0")
# variant NAME KEY=VALUE...: a copy of china-2020 with keys set, run with --arms given by $ARMS.
variant() {
	name=$1; shift
	python3 - "$OUT/china-2020.toml" "$OUT/$name.toml" "$name" "$@" <<'PY'
import re, sys
src, dst, name = sys.argv[1:4]
sets = {}
for a in sys.argv[4:]:
    k, v = a.split("=", 1)
    sec, key = k.rsplit(".", 1)
    sets[(sec, key)] = v
sec, done, out = "", set(), []
for l in open(src).read().split("\n"):
    m = re.match(r"^\[([a-z_.]+)\]\s*$", l)
    if m:
        sec = m.group(1)
    if l.startswith("[["):
        sec = l
    m = re.match(r"^([a-z_]+) = ", l)
    if m and (sec, m.group(1)) in sets:
        l = m.group(1) + " = " + sets[(sec, m.group(1))]
        done.add((sec, m.group(1)))
    if sec == "" and l.startswith("name = "):
        l = 'name = "%s"' % name
    out.append(l)
if set(sets) - done:
    sys.exit("not found: %s" % (set(sets) - done))
open(dst, "w").write("\n".join(out))
PY
	rm -rf "$OUT/out-$name"
	"$S" run "$OUT/$name.toml" -r "$REPS" --arms "$ARMS" --plots none --progress none --out "$OUT/out-$name" > /dev/null
}
SCREEN='finance.score_memory="26w" finance.look_through=true'
LIQ='firms.sme.owner_funds=0.1 firms.sme.informal_limit=0.05 firms.value_exit=true'
LOW='firms.sme.owner_funds=0.02 firms.sme.informal_limit=0.01 firms.value_exit=true'
ARMS=all
variant today
variant screen $SCREEN
variant value $SCREEN firms.value_exit=true
variant liq $SCREEN $LIQ
variant liq-low $SCREEN $LOW
variant liq-noscreen $LIQ
for of in 0 0.005 0.01 0.03 0.05; do # and 0.02: liq-low
	variant owner-$of $SCREEN firms.sme.owner_funds=$of firms.sme.informal_limit=0.01 firms.value_exit=true
done
ARMS=baseline
for g in 2 8; do
	variant today-g$g firms.grace="\"${g}w\""
	variant screen-g$g $SCREEN firms.grace="\"${g}w\""
	variant liq-g$g $SCREEN $LIQ firms.grace="\"${g}w\""
	variant liq-low-g$g $SCREEN $LOW firms.grace="\"${g}w\""
done
# With the banking system of slices 2-3 (banks/china-2020-banks.toml).
python3 - "$here/banks/china-2020-banks.toml" "$OUT" <<'PY'
import sys
bank, out = open(sys.argv[1]).read(), sys.argv[2]
def on(t, finance="", firms="", sme=""):
    for old, add in (('banking = "system"\n', finance), ('[firms]\ngrace = "4w"\n', firms), ('[firms.sme]\n', sme)):
        assert old in t
        t = t.replace(old, old + add, 1)
    return t
screen = 'score_memory = "26w"\nlook_through = true\n'
v = {"bank": bank, "bank-screen": on(bank, screen),
     "bank-liq-low": on(bank, screen, "value_exit = true\n", "owner_funds = 0.02\ninformal_limit = 0.01\n")}
for name, text in v.items():
    open("%s/%s.toml" % (out, name), "w").write(text)
PY
for v in bank bank-screen bank-liq-low; do
	rm -rf "$OUT/out-$v"
	"$S" run "$OUT/$v.toml" -r "$REPS" --plots none --progress none --out "$OUT/out-$v" > /dev/null
done
cd "$OUT"
python3 "$OLDPWD/$here/slices45.py" out-bank out-bank-screen out-bank-liq-low
python3 "$OLDPWD/$here/slices45.py" out-today out-screen out-value out-liq out-liq-low out-liq-noscreen \
	out-owner-0 out-owner-0.005 out-owner-0.01 out-owner-0.03 out-owner-0.05 \
	out-today-g2 out-today-g8 out-screen-g2 out-screen-g8 out-liq-g2 out-liq-g8 out-liq-low-g2 out-liq-low-g8
