#!/usr/bin/env bash
# The Slurm executor's overhead per stage (issue 15): runs the sample pipeline on the same raw landing zone twice, in
# this process (--executor=local) and through Slurm (--executor=slurm), each into a fresh workspace, and prints both
# runs' stage tables and each stage's difference: the cost of submitting its job array, queueing, starting the worker
# on a node and waiting for the queue (asked once a second). Needs a running cluster that the environment names
# (SLURM_CONF) whose nodes see this folder; tests/Cairn.Tests/Support/SlurmCluster.cs starts a single-node one. Not
# part of the test command.
#
#   SLURM_CONF=/path/slurm.conf bench/slurm.sh [--days=N] [--cells-per-task=N]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
days=366
cells=64
for argument in "$@"; do
  case $argument in
    --days=*) days=${argument#*=} ;;
    --cells-per-task=*) cells=${argument#*=} ;;
    *) echo "bench/slurm.sh: unknown argument $argument; use --days=N or --cells-per-task=N" >&2; exit 2 ;;
  esac
done
command -v sbatch >/dev/null || { echo "bench/slurm.sh: needs Slurm's commands and a running cluster (apt-get install slurm-wlm munge)" >&2; exit 2; }

work="$root/.build/bench/slurm"
rm -rf "$work"
mkdir -p "$work/raw"
# Every 4th day of the sample, one folder a day (as the tests' SampleRaw does).
header=$(head -n 1 pipelines/weather/data/seattle-weather.csv)
tail -n +2 pipelines/weather/data/seattle-weather.csv | awk 'NR % 4 == 1' | head -n "$days" | while IFS= read -r line; do
  mkdir -p "$work/raw/date=${line:0:10}"
  printf '%s\n%s\n' "$header" "$line" >"$work/raw/date=${line:0:10}/weather.csv"
done

./build.sh --target=Package --raw="$work/raw" --workspace="$work/local" >"$work/local.txt" 2>&1
./build.sh --target=Package --raw="$work/raw" --workspace="$work/slurm" --executor=slurm --slurm-cells-per-task="$cells" >"$work/slurm.txt" 2>&1

echo "local:"; sed -n '/^Cairn run /,$p' "$work/local.txt"
echo "slurm (--slurm-cells-per-task=$cells):"; grep -E '^Slurm: |submitted as Slurm job|Slurm job [0-9]+ ended' "$work/slurm.txt"; sed -n '/^Cairn run /,$p' "$work/slurm.txt"
echo "overhead per stage (slurm - local):"
table() { sed -n '/^Cairn run /,$p' "$1" | awk '$NF == "s" && $2 ~ /^[0-9]+$/ { print $1, $(NF-1) }'; }
join <(table "$work/local.txt" | sort) <(table "$work/slurm.txt" | sort) | awk '{ printf "  %-18s %7.2f s -> %7.2f s  (+%.2f s)\n", $1, $2, $3, $3 - $2 }'
