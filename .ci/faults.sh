#!/usr/bin/env bash
# faults.sh — fault injection for smesim's writes, on real file systems.
# Needs root (it mounts tmpfs file systems); exits 0 with "faults: SKIP
# (not root)" otherwise. Prints "faults: PASS" or "faults: FAIL (reason)".
#
#  1. Disk full. A tmpfs first gets a complete result (good/, with figures)
#     and is then shrunk so that the result files of one more small run fit
#     but its figures do not, and far less than a 20-replication default run
#     needs. smesim run (failing in the runs or the result files, and in
#     the figures), smesim plot and smesim sweep (in its runs, then in its
#     points) must then fail with exit 1 and one stderr line naming the path
#     and "no space left on device"; leave no temporary file or directory
#     (*.tmp-*), nothing at --out, nothing else unless the message names it
#     as kept to resume (which must then work); and leave good/ and a
#     sweep's finished runs byte for byte as they were. Once space is freed,
#     the same sweep command resumes and writes exactly what an
#     uninterrupted sweep writes.
#  2. Read-only file system (a tmpfs remounted read-only, and a read-only
#     bind mount): run, sweep and plot fail with one line naming the path
#     and "read-only file system"; nothing changes.
#  3. --out at an existing directory that is not a smesim result (or at a
#     file, or a run's result for sweep): refused with exit 2, its contents
#     unchanged, nothing created beside it.
#  4. SIGTERM during smesim run: exit 130, a message on stderr, no output
#     directory; if the message names a directory keeping the finished runs,
#     it must exist, and the same command must then complete, remove it and
#     write the same files as an uninterrupted run.
#     SIGINT during smesim sweep and its resumption are covered by go test
#     (cmd/smesim: TestSweepResumeAfterSignal); SIGINT/SIGTERM during every
#     long command (run, sweep and their writing phases, merge, plot,
#     compare, check-facts, bench, network export) by
#     TestEveryCommandHonoursSignals; two writers into one --out by
#     TestRunOutLockedAndStale; a torn units.log line by
#     TestSweepResumeAfterTornLog.
#  5. kill -9 of smesim run while it writes its result directory: the same
#     command removes what it left and completes. Two runs into one --out:
#     the second is refused with exit 2 naming the first's process.
set -Eeuo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) -ne 0 ]]; then
	echo "faults: SKIP (not root)"
	exit 0
fi

start=$SECONDS
tmp=$(mktemp -d)
mounts=()
bgpid=""

cleanup() {
	trap - ERR
	if [[ -n $bgpid ]] && kill -0 "$bgpid" 2>/dev/null; then
		kill -KILL "$bgpid" 2>/dev/null || true
		wait "$bgpid" 2>/dev/null || true
	fi
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
	done
	if grep -qF " $tmp/" /proc/mounts; then
		echo "faults: could not unmount everything under $tmp; left it in place" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fail REASON: prints "faults: FAIL (REASON)" and exits 1. Called inside a
# command substitution, it prints to stderr (stdout is captured), and the
# caller then exits quietly through the ERR trap.
fail() {
	trap - ERR
	echo "faults: FAIL ($*)" >&2
	touch "$tmp/failed"
	exit 1
}
trap '[[ -e $tmp/failed ]] && exit 1; fail "unexpected error at line $LINENO: $BASH_COMMAND"' ERR

note() { echo "faults: $*"; }

bin=$tmp/smesim
go build -o "$bin" ./cmd/smesim || fail "go build ./cmd/smesim failed"
mkdir "$tmp/log"

# mnt DIR OPTIONS: mounts a tmpfs at DIR (created) with OPTIONS.
mnt() {
	mkdir -p "$1"
	mount -t tmpfs -o "$2" smesim-faults "$1"
	mounts+=("$1")
}

# sm NAME [-C DIR] ARGS...: runs smesim ARGS (in DIR if given) with a time
# limit; sets rc, and out and err to the files holding its stdout and stderr.
sm() {
	local name=$1 dir=.
	shift
	if [[ $1 == -C ]]; then
		dir=$2
		shift 2
	fi
	out=$tmp/log/$name.out err=$tmp/log/$name.err
	rc=0
	(cd "$dir" && timeout -s KILL 300 "$bin" "$@") >"$out" 2>"$err" || rc=$?
	if ((rc == 137)); then
		fail "$name: smesim $* was killed after 300 s"
	fi
}

# expect NAME CODES...: rc must be one of CODES.
expect() {
	local name=$1 c
	shift
	for c in "$@"; do
		[[ $rc == "$c" ]] && return 0
	done
	fail "$name: exit $rc, want $*; stderr: $(head -c 400 "$err")"
}

# one_line NAME WORDS...: stderr is one line "smesim: …" holding every WORD.
one_line() {
	local name=$1 w
	shift
	if [[ $(wc -l <"$err") -ne 1 ]] || ! head -c 8 "$err" | grep -qx 'smesim: '; then
		fail "$name: stderr is not one line \"smesim: …\": $(head -c 400 "$err")"
	fi
	for w in "$@"; do
		grep -qF -- "$w" "$err" || fail "$name: stderr does not mention \"$w\": $(cat "$err")"
	done
}

# names_path NAME PATH: stderr names PATH (or a hidden sibling .BASE…
# holding its finished runs).
names_path() {
	grep -qF -e "$2" -e "$(dirname "$2")/.$(basename "$2")" "$err" ||
		fail "$1: stderr does not name $2: $(cat "$err")"
}

# snap DIR: every path under DIR with its type, mode and size, and the
# SHA-256 of every file.
snap() {
	(cd "$1" && find . -printf '%y %m %s %p\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# no_temps NAME DIR: nothing named *.tmp-* under DIR.
no_temps() {
	local left
	left=$(find "$2" -name '*.tmp-*' | head -5)
	[[ -z $left ]] || fail "$1: temporary files left: $left"
}

# kept NAME DIR BASELINE: the entries of DIR not listed in file BASELINE;
# each must be named by the error message (as kept for resuming). Prints
# them.
kept() {
	local e
	for e in $(ls -A "$2" | sort | comm -23 - "$3"); do
		grep -qF -- "$2/$e" "$err" || fail "$1: left $2/$e behind without saying so: $(cat "$err")"
		echo "$2/$e"
	done
}

# resume NAME KEPT ARGS...: if KEPT (directories named as kept) is not
# empty, runs smesim ARGS again, which must succeed and remove them.
resume() {
	local name=$1 k=$2
	shift 2
	[[ -z $k ]] && return 0
	for d in $k; do
		[[ -d $d ]] || fail "$name: the message names $d as kept, but it is not a directory"
	done
	sm "$name-resume" "$@"
	expect "$name-resume (the same command again)" 0
	for d in $k; do
		[[ ! -e $d ]] || fail "$name-resume: $d still there after the command completed"
	done
	note "$name: the same command resumed from $k and completed"
}

result_files=(scenario.toml timeseries.csv firms.csv events.csv summary.json meta.json)

# complete NAME DIR: DIR holds every result file.
complete() {
	local f
	for f in "${result_files[@]}"; do
		[[ -s $2/$f ]] || fail "$1: $2/$f missing or empty"
	done
}

kib() { du -sk "$@" | awk '{ s += $1 } END { print s + 0 }'; }
used_kib() { df -k --output=used "$1" | tail -1 | tr -d ' '; }

# A small sweep: 2 points × 2 arms × 3 replications = 12 runs (the sweep
# of cmd/smesim/cmd_sweep_test.go).
cat >"$tmp/sw.toml" <<'EOF'
name = "sw"
seed = 3
replications = 3
steps = 30

[network]
chains = 2
cores_per_chain = 1
suppliers_per_chain = 10
raw_materials_per_chain = 16
distributors_per_chain = 16

[[shocks]]
kind = "demand"
market = "domestic"
start = "4w"
duration = "6w"
recovery = "6w"
shape = "linear"
depth = 0.3

[[interventions]]
kind = "policy-loan"
name = "loans"
end = "12w"
budget = 2e6
channel = "direct"

[sweep]
design = "grid"

[[sweep.parameters]]
key = "shocks.demand.depth"
values = [0.2, 0.45]
EOF
sweep=(sweep "$tmp/sw.toml" --plots none --workers 2 --progress none)

# ---------------------------------------------------------------- 1. disk full
full=$tmp/full
mnt "$full" size=64m,mode=0755
sm good run small --out "$full/good"
expect "good run" 0
complete "good run" "$full/good"
snap "$full/good" >"$tmp/good.snap"
# Sizes: F the good run's figures, R its result files; U the finished runs
# smesim keeps while it runs (the batch a --shard run writes).
figs=$(kib "$full/good/plots" "$full/good/report.html")
res=$(($(kib "$full/good") - figs))
sm units run small --shard 0/1 --out "$full/units"
expect "units run" 0
units=$(kib "$full/units")
rm -rf "$full/units"
# Leave room for one more small run's runs and result files with 256 KiB
# to spare, not for its figures nor for a 20-replication default run.
size=$(($(used_kib "$full") + res + units + 256))
((figs > units + 256 + 128)) || fail "sizes changed: figures $figs KiB, runs $units KiB; the disk-full checks need figures larger than the runs plus 384 KiB"
mount -o remount,size="${size}k" "$full"
note "disk full: tmpfs of $size KiB holding good/ ($((figs + res)) KiB: results $res, figures $figs; runs kept while running $units)"
ls -A "$full" | sort >"$tmp/full.ls"

# 1a. A default run of 20 replications does not fit at all.
sm big run default --replications 20 --out "$full/big"
expect "run into a full disk" 1
one_line "run into a full disk" "no space left on device"
names_path "run into a full disk" "$full/big"
[[ ! -e $full/big ]] || fail "run into a full disk: $full/big exists"
no_temps "run into a full disk" "$full"
k=$(kept "run into a full disk" "$full" "$tmp/full.ls")
snap "$full/good" | cmp -s - "$tmp/good.snap" || fail "run into a full disk: good/ changed"
note "disk full: run failed cleanly: $(cat "$err")"
if [[ -n $k ]]; then
	mount -o remount,size=64m "$full"
	resume big "$k" run default --replications 20 --out "$full/big"
	rm -rf "$full/big"
	mount -o remount,size="${size}k" "$full"
fi

# 1b. A small run whose result files fit but not its figures.
sm fig run small --out "$full/fig"
expect "run whose figures do not fit" 1
one_line "run whose figures do not fit" "no space left on device"
names_path "run whose figures do not fit" "$full/fig"
[[ ! -e $full/fig ]] || fail "run whose figures do not fit: $full/fig exists"
no_temps "run whose figures do not fit" "$full"
k=$(kept "run whose figures do not fit" "$full" "$tmp/full.ls")
snap "$full/good" | cmp -s - "$tmp/good.snap" || fail "run whose figures do not fit: good/ changed"
note "disk full: run failed cleanly in its figures: $(cat "$err")"
if [[ -n $k ]]; then
	mount -o remount,size=64m "$full"
	resume fig "$k" run small --out "$full/fig"
	complete "fig-resume" "$full/fig"
	rm -rf "$full/fig"
	mount -o remount,size="${size}k" "$full"
fi

# 1c. Redrawing good/'s figures in every format does not fit: the earlier
# figures stay as they were.
sm plot plot "$full/good" --plots all
expect "plot on a full disk" 1
one_line "plot on a full disk" "no space left on device" "$full/good"
no_temps "plot on a full disk" "$full"
snap "$full/good" | cmp -s - "$tmp/good.snap" || fail "plot on a full disk: good/ changed"
[[ $(ls -A "$full" | sort) == "$(cat "$tmp/full.ls")" ]] || fail "plot on a full disk: $full holds $(ls -A "$full")"
note "disk full: plot failed cleanly, earlier figures kept: $(cat "$err")"

# 1d. A sweep stores its runs one by one: on a full disk it stops, keeps
# the finished runs and resumes once there is room.
sm sweep-ref "${sweep[@]}" --out "$tmp/sweep-ref"
expect "reference sweep" 0
sfs=$tmp/sweepfs
# Room for the bookkeeping (3 pages) and about half of the runs.
ssize=$((12 + $(kib "$tmp/sweep-ref/units") / 2))
mnt "$sfs" "size=${ssize}k,mode=0755"
sm sweep1 "${sweep[@]}" --out "$sfs/s"
expect "sweep into a full disk" 1
one_line "sweep into a full disk" "no space left on device"
names_path "sweep into a full disk" "$sfs/s"
no_temps "sweep into a full disk" "$sfs"
[[ ! -e $sfs/s/sweep.csv && ! -e $sfs/s/points ]] || fail "sweep into a full disk: wrote sweep.csv or points/"
# Every logged run's file matches its hash.
check_log() {
	local u h f n=0
	while read -r u h; do
		[[ $h =~ ^[0-9a-f]{64}$ ]] || continue # a torn last line is ignored
		f=$(printf '%s/units/%08d.gob' "$1" "$u")
		[[ -f $f ]] || fail "$2: run $u is logged but $f is missing"
		[[ $(sha256sum <"$f" | cut -d' ' -f1) == "$h" ]] || fail "$2: $f does not match its hash in units.log"
		n=$((n + 1))
	done <"$1/units.log"
	echo "$n"
}
n1=$(check_log "$sfs/s" "sweep into a full disk")
((n1 >= 1 && n1 < 12)) || fail "sweep into a full disk: $n1 of 12 runs logged; want some but not all (tmpfs of $ssize KiB)"
sort "$sfs/s/units.log" >"$tmp/units1.log"
(cd "$sfs/s/units" && sha256sum -- *.gob) >"$tmp/units1.sum"
note "disk full: sweep stopped after $n1 of 12 runs: $(cat "$err")"

# Room for every run but not for the points' result files.
mount -o remount,size=$((12 + $(kib "$tmp/sweep-ref/units") + 64))k "$sfs"
sm sweep2 "${sweep[@]}" --out "$sfs/s"
expect "sweep writing its points on a full disk" 1
one_line "sweep writing its points on a full disk" "no space left on device" "$sfs/s"
no_temps "sweep writing its points on a full disk" "$sfs"
[[ ! -e $sfs/s/sweep.csv ]] || fail "sweep writing its points on a full disk: wrote sweep.csv"
n2=$(check_log "$sfs/s" "sweep writing its points on a full disk")
((n2 == 12)) || fail "sweep writing its points on a full disk: $n2 of 12 runs logged"
sort "$sfs/s/units.log" | comm -23 "$tmp/units1.log" - | grep -q . &&
	fail "sweep writing its points on a full disk: runs logged before are no longer logged"
(cd "$sfs/s/units" && sha256sum -c --quiet "$tmp/units1.sum") >/dev/null 2>&1 ||
	fail "sweep writing its points on a full disk: runs finished before changed"
for p in "$sfs/s/points"/*; do
	[[ -e $p ]] || continue
	diff -r --exclude=meta.json "$tmp/sweep-ref/points/$(basename "$p")" "$p" >/dev/null ||
		fail "sweep writing its points on a full disk: $p is partial or differs"
done
note "disk full: sweep stopped writing its points: $(cat "$err")"

mount -o remount,size=64m "$sfs"
sm sweep3 "${sweep[@]}" --out "$sfs/s"
expect "sweep resumed with room" 0
grep -qF "(0 run now, 12 already done)" "$out" || fail "sweep resumed with room: $(cat "$out"); want every run kept"
cmp -s "$tmp/sweep-ref/sweep.csv" "$sfs/s/sweep.csv" || fail "sweep resumed with room: sweep.csv differs from an uninterrupted sweep's"
diff -r --exclude=meta.json "$tmp/sweep-ref/points" "$sfs/s/points" >/dev/null ||
	fail "sweep resumed with room: points/ differs from an uninterrupted sweep's"
no_temps "sweep resumed with room" "$sfs"
note "disk full: sweep resumed and wrote the same bytes as an uninterrupted sweep"

# ------------------------------------------------------------ 2. read-only
ro=$tmp/ro
mnt "$ro" size=16m,mode=0755
sm ro-res run small --replications 1 --plots png --out "$ro/res"
expect "result for the read-only checks" 0
mkdir "$ro/empty"
mount -o remount,ro "$ro"
snap "$ro" >"$tmp/ro.snap"
robind=$tmp/robind
mkdir -p "$tmp/rw" "$robind"
mount --bind "$tmp/rw" "$robind"
mounts+=("$robind")
mount -o remount,bind,ro "$robind"

check_ro() { # NAME PATH (named by the message) smesim ARGS...
	local name=$1 path=$2
	shift 2
	sm "$name" "$@"
	expect "$name" 2 1
	one_line "$name" "read-only file system"
	[[ -z $path ]] || grep -qF -- "$path" "$err" || fail "$name: stderr does not name $path: $(cat "$err")"
	note "read-only: $name: exit $rc: $(cat "$err")"
}
check_ro "run --out on a read-only tmpfs" "$ro" run small --replications 1 --plots none --out "$ro/x"
check_ro "run --out under a missing directory" "$ro" run small --replications 1 --plots none --out "$ro/sub/x"
check_ro "run --out at an empty directory" "$ro" run small --replications 1 --plots none --out "$ro/empty"
check_ro "run --out on a read-only bind mount" "$robind" run small --replications 1 --plots none --out "$robind/x"
check_ro "run without --out in a read-only directory" "" -C "$ro" run small --replications 1 --plots none
check_ro "sweep --out on a read-only tmpfs" "$ro/s" "${sweep[@]}" --out "$ro/s"
check_ro "plot of a result on a read-only tmpfs" "$ro/res" plot "$ro/res"
snap "$ro" | cmp -s - "$tmp/ro.snap" || fail "read-only: $ro changed"
[[ -z $(ls -A "$tmp/rw") ]] || fail "read-only: the bind mount's source got $(ls -A "$tmp/rw")"

# --------------------------------------------------- 3. not a smesim result
nr=$tmp/notes/mine
mkdir -p "$nr/sub"
echo "my notes" >"$nr/notes.txt"
echo "data" >"$nr/sub/data.csv"
touch "$nr/.hidden"
snap "$nr" >"$tmp/nr.snap"
ls -A "$tmp/notes" >"$tmp/notes.ls"
check_refused() { # NAME PATH smesim ARGS...
	local name=$1 path=$2
	shift 2
	sm "$name" "$@"
	expect "$name" 2
	one_line "$name" "$path"
	note "not a result: $name: $(cat "$err")"
}
check_refused "run --out at a directory of other files" "$nr" run small --replications 1 --plots none --out "$nr"
check_refused "sweep --out at a directory of other files" "$nr" "${sweep[@]}" --out "$nr"
check_refused "run --out at a file" "$nr/notes.txt" run small --replications 1 --plots none --out "$nr/notes.txt"
check_refused "plot of a directory of other files" "$nr" plot "$nr"
snap "$nr" | cmp -s - "$tmp/nr.snap" || fail "not a result: $nr changed"
[[ $(ls -A "$tmp/notes") == "$(cat "$tmp/notes.ls")" ]] || fail "not a result: $tmp/notes now holds $(ls -A "$tmp/notes")"
snap "$full/good" >"$tmp/good2.snap"
check_refused "sweep --out at a run's result" "$full/good" "${sweep[@]}" --out "$full/good"
snap "$full/good" | cmp -s - "$tmp/good2.snap" || fail "not a result: sweep changed a run's result"

# ------------------------------------------------------------- 4. signals
sig=$tmp/sig
mkdir "$sig"
sigcmd=(run default --replications 200 --workers 1 --plots none --out "$sig/out")
out=$tmp/log/sig.out err=$tmp/log/sig.err
"$bin" "${sigcmd[@]}" >"$out" 2>"$err" &
bgpid=$!
sleep 1
kill -0 "$bgpid" 2>/dev/null || fail "signal: the run ended within 1 s, before SIGTERM: $(cat "$err")"
kill -TERM "$bgpid"
for ((i = 0; i < 200; i++)); do
	kill -0 "$bgpid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$bgpid" 2>/dev/null && fail "signal: the run still runs 20 s after SIGTERM"
rc=0
wait "$bgpid" || rc=$?
bgpid=""
expect "run stopped by SIGTERM" 130
one_line "run stopped by SIGTERM" "interrupted"
[[ ! -e $sig/out ]] || fail "signal: $sig/out exists after SIGTERM"
no_temps "run stopped by SIGTERM" "$sig"
: >"$tmp/empty.ls"
k=$(kept "run stopped by SIGTERM" "$sig" "$tmp/empty.ls")
note "signal: exit 130: $(cat "$err")"
if [[ -n $k ]]; then
	resume sig "$k" "${sigcmd[@]}"
	complete "sig-resume" "$sig/out"
	# The kept runs are trusted: the result equals an uninterrupted run's.
	sm sig-ref run default --replications 200 --plots none --out "$tmp/sig-ref"
	expect "uninterrupted run" 0
	for f in "${result_files[@]}"; do
		[[ $f == meta.json ]] || cmp -s "$tmp/sig-ref/$f" "$sig/out/$f" ||
			fail "sig-resume: $f differs from an uninterrupted run's"
	done
	note "signal: the resumed run's files equal an uninterrupted run's"
else
	note "signal: nothing kept to resume from (the message names no directory)"
fi
note "signal: SIGINT during sweep and its resumption: covered by go test (TestSweepResumeAfterSignal)"

# ------------------------------------------- 5. kill -9 while writing; two writers
# A run killed (SIGKILL: no cleanup) while writing its result directory
# leaves OUT.tmp-*; the same command must remove it and complete. Then two
# runs into one --out: the second is refused (exit 2, naming the first's
# process) while the first runs, and the first completes.
k9=$tmp/k9
mkdir -p "$k9"
k9cmd=(run default --replications 40 --steps 2000 --plots png --out "$k9/out")
"$bin" "${k9cmd[@]}" >"$tmp/log/k9.out" 2>"$tmp/log/k9.err" &
bgpid=$!
for ((i = 0; i < 6000; i++)); do
	compgen -G "$k9/out.tmp-*" >/dev/null && break
	kill -0 "$bgpid" 2>/dev/null || fail "kill -9: the run ended before writing its result: $(cat "$tmp/log/k9.err")"
	sleep 0.01
done
kill -KILL "$bgpid"
wait "$bgpid" 2>/dev/null || true
bgpid=""
compgen -G "$k9/out.tmp-*" >/dev/null || fail "kill -9: no temporary directory to clean up (the run finished first?)"
sm k9-resume "${k9cmd[@]}"
expect "kill -9: the same command again" 0
no_temps "kill -9: the same command again" "$k9"
[[ ! -e $k9/.out.partial ]] || fail "kill -9: $k9/.out.partial left after the resumed run completed"
note "kill -9 while writing: the same command removed what was left and completed"

two=(run default --replications 200 --steps 1000 --workers 1 --plots none --out "$k9/two")
"$bin" "${two[@]}" >"$tmp/log/two.out" 2>"$tmp/log/two.err" &
bgpid=$!
for ((i = 0; i < 6000; i++)); do
	[[ -e $k9/.two.partial/.lock ]] && break
	sleep 0.01
done
kill -0 "$bgpid" 2>/dev/null || fail "two writers: the first run ended too soon: $(cat "$tmp/log/two.err")"
sm two-second "${two[@]}"
expect "two writers: the second" 2
one_line "two writers: the second" "in use by process $bgpid"
note "two writers: $(cat "$err")"
kill -TERM "$bgpid"
rc=0
wait "$bgpid" || rc=$?
bgpid=""
((rc == 130)) || fail "two writers: the first run, stopped by SIGTERM, exited $rc"
rm -rf "$k9"

echo "faults: PASS ($((SECONDS - start)) s)"
