#!/usr/bin/env bash
# Integration test: a throwaway one-node Slurm cluster runs a sharded
# `smesim sweep` as a job array (deploy/slurm/sweep.sbatch), `smesim merge`
# joins the shards, and the result must be byte-identical to the same sweep
# run locally without shards.
#
# Run as root on a Debian machine with Go: bash deploy/slurm/ci-cluster.sh
#
# What it does:
#   1. installs slurm-wlm and munge with apt-get if they are missing, and
#      builds smesim;
#   2. creates the munge key if missing and starts munged, unless a working
#      munged is already running (then it is reused and left alone);
#   3. writes a private slurm.conf into a temporary directory (pointed to by
#      SLURM_CONF; /etc/slurm is not touched), with its own state, spool and
#      log directories and free ports, and starts slurmctld and slurmd;
#   4. submits a small sweep (2 points x 2 arms x 3 replications) with
#      `sbatch --wait` as a 4-task array of deploy/slurm/sweep.sbatch; deletes
#      one shard and resubmits the array, which must rerun only that shard;
#   5. merges the shards, runs the sweep locally without shards and compares
#      sweep.csv and every file under points/ byte for byte.
# On exit, success or failure, it cancels the jobs of its private cluster,
# stops exactly the daemons it started (by recorded pid) and removes the
# temporary directory. The last line is "ci-cluster: PASS" or
# "ci-cluster: FAIL (...)"; the exit status is non-zero on any failure.
#
# It takes about half a minute once the packages are installed.
#
# Environment:
#   CI_CLUSTER_KEEP=1   keep the temporary directory (logs, outputs) on exit
#   CI_CLUSTER_SMOKE=1  only bring the cluster up, run a plain 4-task array and
#                       sweep.sbatch with echo in place of smesim, and stop
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

shards=4
started=()    # "name:pid" of every daemon this script started, in start order
tmp=""
failure=""    # set by fail(); printed in the FAIL line
policy=""     # a policy-rc.d this script wrote, to remove

log() { echo "ci-cluster: $*"; }
fail() {
	failure="$*"
	echo "ci-cluster: error: $*" >&2
	exit 1
}

# Stops the daemons we started, newest first, and waits for each to exit.
stop_daemons() {
	local i entry name pid n
	for ((i = ${#started[@]} - 1; i >= 0; i--)); do
		entry=${started[i]}
		name=${entry%%:*}
		pid=${entry##*:}
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			for ((n = 0; n < 100; n++)); do # up to 10 s, then SIGKILL
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			if kill -0 "$pid" 2>/dev/null; then
				echo "ci-cluster: $name (pid $pid) did not stop on SIGTERM; killing it" >&2
				kill -KILL "$pid" 2>/dev/null || true
			fi
		fi
		wait "$pid" 2>/dev/null || true
		log "stopped $name (pid $pid)"
	done
	started=()
}

cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM
	if [[ -n "$tmp" && -f "$tmp/slurm.conf" ]] && [[ " ${started[*]} " == *" slurmctld:"* ]]; then
		# Only jobs of our private cluster (SLURM_CONF points at it).
		scancel --quiet --full --user=root 2>/dev/null
		for ((n = 0; n < 50; n++)); do
			[[ -z "$(squeue -h -o %i 2>/dev/null)" ]] && break
			sleep 0.2
		done
	fi
	if ((rc != 0)) && [[ -n "$tmp" ]]; then
		# The daemons' logs (a daemon's .out only if it has no .log: it then
		# died before opening its log file), then the jobs' logs.
		for f in "$tmp"/log/*.out "$tmp"/log/*.log; do
			[[ -s "$f" ]] || continue
			case $f in
			*/sweep-* | */smoke-*) continue ;;
			*.out) [[ -s "${f%.out}.log" ]] && continue ;;
			esac
			echo "---- tail of $f" >&2
			tail -n 15 "$f" >&2
		done
		for f in "$tmp"/log/sweep-* "$tmp"/log/smoke-*; do
			[[ -s "$f" ]] || continue
			echo "---- tail of $f" >&2
			tail -n 30 "$f" >&2
		done
	fi
	stop_daemons
	[[ -z "$policy" ]] || rm -f "$policy"
	if [[ -n "$tmp" ]]; then
		if [[ "${CI_CLUSTER_KEEP:-}" == 1 ]]; then
			log "kept $tmp"
		else
			rm -rf "$tmp"
		fi
	fi
	if ((rc == 0)); then
		echo "ci-cluster: PASS"
	else
		echo "ci-cluster: FAIL (${failure:-exit status $rc})"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'failure="interrupted"; exit 130' INT TERM

# Waits up to $1 seconds for the command "${@:2}" to succeed; returns 1 on
# timeout.
wait_until() {
	local secs=$1 n
	shift
	for ((n = 0; n < secs * 5; n++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# Starts "$@" in the background as a daemon named $name and records its pid.
start_daemon() {
	local name=$1
	shift
	"$@" >"$tmp/log/$name.out" 2>&1 &
	started+=("$name:$!")
	log "started $name (pid $!)"
}

# A TCP port on which nothing listens, from $1 upwards.
free_port() {
	local p=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

start=$SECONDS
[[ $(id -u) -eq 0 ]] || fail "must run as root (it installs packages and starts munged, slurmctld and slurmd)"
command -v go >/dev/null || fail "go not found in PATH"

# ---- 1. packages -----------------------------------------------------------
missing=()
for cmd in slurmctld slurmd sbatch sinfo squeue scontrol scancel; do
	command -v "$cmd" >/dev/null || missing+=("$cmd")
done
for cmd in munged munge unmunge; do
	command -v "$cmd" >/dev/null || missing+=("$cmd")
done
if ((${#missing[@]})); then
	log "missing ${missing[*]}: installing slurm-wlm and munge"
	# Refresh the package lists only if apt does not know the packages yet.
	if ! apt-cache show slurm-wlm munge >/dev/null 2>&1; then
		apt-get update
	fi
	# Keep the packages from starting munge, slurmctld and slurmd as services
	# (this script starts its own): policy-rc.d exit 101 = "not allowed".
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\n# Written by smesim deploy/slurm/ci-cluster.sh during apt-get install.\nexit 101\n' >"$policy"
		chmod 0755 "$policy"
	fi
	status=0
	DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge || status=$?
	[[ -z "$policy" ]] || rm -f "$policy"
	policy=""
	((status == 0)) || fail "apt-get install -y slurm-wlm munge failed (exit status $status)"
fi
log "$(slurmctld -V), $(munged -V 2>&1 | head -n 1)"

tmp=$(mktemp -d /tmp/smesim-ci-cluster.XXXXXX)
mkdir -p "$tmp/log" "$tmp/state" "$tmp/spool/slurmd" "$tmp/out"

# Settings of an enclosing Slurm job or of the caller must not leak into our
# sbatch calls.
while read -r var; do
	unset "$var"
done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN)_' || true)

smesim=$tmp/smesim
if [[ "${CI_CLUSTER_SMOKE:-}" != 1 ]]; then
	log "building smesim"
	go build -o "$smesim" ./cmd/smesim || fail "go build ./cmd/smesim failed"
fi

# 2 points x 2 arms (baseline, relief) x 3 replications = 12 runs, 3 a shard.
scenario=$tmp/ci-sweep.toml
cat >"$scenario" <<'TOML'
# The network of the built-in "small" scenario, shortened; a demand shock
# whose depth the sweep varies, and one intervention for a second arm.
name = "ci-sweep"
description = "Two small chains, 30 weekly steps; a domestic demand drop of depth 0.2 or 0.4, with and without tax relief."
seed = 7
replications = 3
step = "1w"
steps = 30

[network]
generator = "core-satellite"
chains = 2
cores_per_chain = 1
suppliers_per_chain = 16
raw_materials_per_chain = 30
distributors_per_chain = 28
supplier_sectors = 4
raw_material_sectors = 2
multi_sourcing = 2
shared_supplier_share = 0.15

[[shocks]]
kind = "demand"
name = "domestic demand drop"
market = "domestic"
start = "8w"
duration = "8w"
recovery = "8w"
shape = "linear"
depth = 0.3

[[interventions]]
kind = "tax-relief"
name = "relief"
end = "16w"
budget = 1e8

[sweep]
design = "grid"

[[sweep.parameters]]
key = "shocks.demand.depth"
values = [0.2, 0.4]
TOML
if [[ "${CI_CLUSTER_SMOKE:-}" != 1 ]]; then
	"$smesim" validate "$scenario" || fail "the CI sweep scenario does not validate"
fi

# ---- 2. munge --------------------------------------------------------------
munge_works() { { munge -n </dev/null | unmunge; } >/dev/null 2>&1; }
if munge_works; then
	log "reusing the running munged"
else
	getent passwd munge >/dev/null || fail "no munge user (is the munge package installed?)"
	key=/etc/munge/munge.key
	install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
	install -d -o munge -g munge -m 0711 /var/lib/munge
	install -d -o munge -g munge -m 0755 /run/munge
	if [[ ! -s "$key" ]]; then
		log "creating $key"
		if command -v mungekey >/dev/null; then
			mungekey --create --keyfile="$key"
		else # munge before 0.5.14
			dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
		fi
	fi
	# munged refuses a key readable by others or not owned by its user.
	chown munge:munge "$key"
	chmod 0400 "$key"
	# In the foreground (-F) as the munge user, so that $! is munged itself.
	start_daemon munged setpriv --reuid=munge --regid=munge --init-groups \
		"$(command -v munged)" --foreground
	wait_until 15 munge_works ||
		fail "timed out after 15s waiting for munged to answer"
fi

# ---- 3. slurm --------------------------------------------------------------
node=$(hostname -s)
cpus=$(nproc)
ctld_port=$(free_port 16817)
slurmd_port=$(free_port $((ctld_port + 1)))
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
# Private one-node cluster of deploy/slurm/ci-cluster.sh.
ClusterName=smesim-ci
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/slurmd
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
log "slurm.conf: $SLURM_CONF (node $node, $cpus CPUs, ports $ctld_port/$slurmd_port)"

# -D: stay in the foreground, so that $! is the daemon; -i: ignore any state.
start_daemon slurmctld slurmctld -D -i
wait_until 30 scontrol ping ||
	fail "timed out after 30s waiting for slurmctld to answer scontrol ping"
start_daemon slurmd slurmd -D
node_idle() { [[ "$(sinfo -h -N -n "$node" -o %t 2>/dev/null)" == idle ]]; }
wait_until 60 node_idle ||
	fail "timed out after 60s waiting for node $node to be idle in sinfo (state: $(sinfo -h -N -o '%t %E' 2>&1))"
log "cluster up in $((SECONDS - start))s: $(sinfo -h -N -o '%N %t %c CPUs')"

# Every daemon we started must still be running.
check_daemons() {
	local entry
	for entry in "${started[@]}"; do
		kill -0 "${entry##*:}" 2>/dev/null || fail "${entry%%:*} (pid ${entry##*:}) exited"
	done
}
check_daemons


if [[ "${CI_CLUSTER_SMOKE:-}" == 1 ]]; then
	# Developer check of the cluster alone: a plain array, and sweep.sbatch
	# with echo in place of smesim.
	sbatch --quiet --wait --array=0-3 --output="$tmp/log/smoke-%A_%a.out" --wrap hostname
	SMESIM=echo SCENARIO=small OUT=$tmp/out/smoke \
		sbatch --quiet --wait --array=0-3 --cpus-per-task=1 --output="$tmp/log/smoke-sbatch-%A_%a.out" \
		deploy/slurm/sweep.sbatch
	cat "$tmp"/log/smoke-*.out
	exit 0
fi

# ---- 4. the sweep on the cluster -------------------------------------------

shard_dir=$tmp/out/shards
# Submits the whole array with deploy/slurm/sweep.sbatch and waits for it;
# sbatch --wait exits with the highest exit status of the array's tasks.
submit_sweep() {
	local what=$1
	log "sbatch --wait --array=0-$((shards - 1)) deploy/slurm/sweep.sbatch ($what)"
	SMESIM=$smesim SCENARIO=$scenario OUT=$shard_dir \
		sbatch --quiet --wait --array="0-$((shards - 1))" --cpus-per-task=1 --time=10 \
		--job-name=smesim-ci-sweep --chdir="$tmp" --output="$tmp/log/sweep-%A_%a.out" \
		deploy/slurm/sweep.sbatch ||
		fail "the sweep array ($what) failed (its logs follow)"
	check_daemons
}

t0=$SECONDS
submit_sweep "first submission"
log "array done in $((SECONDS - t0))s"
for ((i = 0; i < shards; i++)); do
	[[ -s "$shard_dir/shard-$i/manifest.json" ]] || fail "shard $i: no $shard_dir/shard-$i/manifest.json"
	[[ -d "$shard_dir/shard-$i/units" ]] || fail "shard $i: no units/ directory"
	[[ ! -e "$shard_dir/shard-$i/sweep.csv" ]] || fail "shard $i wrote sweep.csv: a shard should only store its runs"
done

# Resume, as after a preemption: shard 0 lost all its runs, the others are
# complete. Resubmitting the same array reruns shard 0 and must leave the
# finished runs of the other shards untouched (same files, sizes, mtimes).
units_listing() {
	local i
	for ((i = 1; i < shards; i++)); do
		(cd "$shard_dir/shard-$i" && find units -type f -printf "shard-$i/%p %s %T@\n" | LC_ALL=C sort)
	done
}
units_listing >"$tmp/units-before.txt"
[[ -s "$tmp/units-before.txt" ]] || fail "shards 1..$((shards - 1)) stored no runs under units/"
rm -rf "${shard_dir:?}/shard-0"
t0=$SECONDS
submit_sweep "resubmission after losing shard 0"
log "resubmitted array done in $((SECONDS - t0))s"
units_listing >"$tmp/units-after.txt"
diff -u "$tmp/units-before.txt" "$tmp/units-after.txt" >&2 ||
	fail "resubmitting the array changed runs that were already finished"
[[ -s "$shard_dir/shard-0/manifest.json" ]] || fail "shard 0 was not rerun"

# ---- 5. merge, and compare with an unsharded local sweep -------------------
merged=$tmp/out/merged
local_out=$tmp/out/local
"$smesim" merge --out "$merged" "$shard_dir"/shard-* || fail "smesim merge failed"
"$smesim" sweep "$scenario" --out "$local_out" --progress none >/dev/null || fail "the local sweep failed"

[[ -s "$local_out/sweep.csv" ]] || fail "the local sweep wrote no sweep.csv"
[[ -d "$local_out/points" ]] || fail "the local sweep wrote no points/"
npoints=$(find "$local_out/points" -mindepth 1 -maxdepth 1 -type d | wc -l)
((npoints == 2)) || fail "expected 2 points under $local_out/points, found $npoints"
cmp "$local_out/sweep.csv" "$merged/sweep.csv" ||
	fail "sweep.csv differs between the merged shards and the local sweep"
# meta.json records the command line (sweep here, merge there): it must match
# but for its "command".
without_command() {
	awk '/"command": *\[/ { if ($0 !~ /\]/) skip = 1; next }
		skip { if ($0 ~ /^[[:space:]]*\],?[[:space:]]*$/) skip = 0; next }
		{ print }' "$1"
}
diff -r -x meta.json "$local_out/points" "$merged/points" >&2 ||
	fail "points/ differs between the merged shards and the local sweep"
nfiles=0
while IFS= read -r -d '' f; do
	if [[ "${f##*/}" == meta.json ]]; then
		cmp <(without_command "$local_out/$f") <(without_command "$merged/$f") ||
			fail "$f differs, beyond its command, between the merged shards and the local sweep"
	else
		cmp "$local_out/$f" "$merged/$f" || fail "$f differs between the merged shards and the local sweep"
	fi
	nfiles=$((nfiles + 1))
done < <(cd "$local_out" && find points -type f -print0 | sort -z)
((nfiles > 0)) || fail "no files under $local_out/points"
log "merged $shards shards: sweep.csv ($(($(wc -l <"$merged/sweep.csv") - 1)) rows) and the $nfiles files under points/ are identical to the unsharded sweep's (meta.json but for its command)"
log "total $((SECONDS - start))s"
