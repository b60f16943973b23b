#!/usr/bin/env bash
# The scale table of issue 16: the sample's rows resampled onto more days (bench/make-scale-raw.py; generated once
# into .build/bench/scale/raw-N and kept), then at each size: the first run, the first no-op right after it (which must
# not read again what the run wrote: issue 16 goal 5), later no-ops, one changed day, Status, each as
# min/median/max wall seconds, with the first run's system time, the peak resident memory of the largest process
# (/usr/bin/time %M) and runs.db after the first run and its growth per no-op. The changed day's Cairn part is its wall
# time less what its stage tasks ran (the run log's task_ms), against the no-op's median (issue 16 goal 6). Snakemake (bench/snakemake/Snakefile)
# runs beside it up to 5,000 days when it is installed; this script installs nothing (bench/run.sh does). Workspaces
# are set aside after each size and deleted after the table (40,000 days take ~2.7 GB and 700,000 inodes; all sizes ~4 GB).
# Run through bench/run.sh --scale.
#
#   bench/scale.sh [--sizes=1461,5000,15000,40000] [--runs=N] [--first-runs=N]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NO_COLOR=1
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"

sizes="1461,5000,15000,40000"
runs=3
first_runs=1
for argument in "$@"; do
  case $argument in
    --sizes=*) sizes=${argument#*=} ;;
    --runs=*) runs=${argument#*=} ;;
    --first-runs=*) first_runs=${argument#*=} ;;
    --scale) ;;
    *) echo "bench/scale.sh: unknown argument $argument; use --sizes=N,N,..., --runs=N or --first-runs=N" >&2; exit 2 ;;
  esac
done
if [[ ! -x /usr/bin/time ]]; then echo "bench/scale.sh: needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; fi
if ! command -v sqlite3 >/dev/null; then echo "bench/scale.sh: needs the sqlite3 shell to read the run log (Debian package sqlite3)" >&2; exit 2; fi

work="$root/.build/bench/scale"
logs="$work/logs"
mkdir -p "$work" "$logs"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
sample="$root/pipelines/weather/data/seattle-weather.csv"
contract="$root/pipelines/weather/config/contract.yaml"
snakemake_version=$(command -v snakemake >/dev/null && snakemake --version || echo "")

stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# measure LOG COMMAND...: runs it under GNU time; sets wall, sys (seconds) and rss (MiB); a failure stops the script.
measure() {
  local log=$1
  shift
  if ! /usr/bin/time -f "%e %S %M" -o "$log.time" "$@" >"$log" 2>&1; then
    echo "bench: failed: $* (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  read -r wall sys rss < <(tail -n 1 "$log.time")
  rss=$((rss / 1024))
}
# set_aside DIR: moves a finished workspace out of the way; they are deleted after the table. On ext4 without a journal
# (this machine's root file system) creating inodes right after deleting hundreds of thousands is slow (the allocator
# skips recently deleted inodes: a first run right after an rm -rf of a large workspace took 2-3 times its system time),
# so no deletion happens between measurements.
trash="$work/trash"
set_aside() { if [[ -e $1 ]]; then mkdir -p "$trash"; mv "$1" "$trash/$(basename "$1").$$.$RANDOM"; fi; }
# The seconds the last run's stage tasks ran (cell_run_log.task_ms): a run's wall time less this is Cairn's own part.
task_seconds() { sqlite3 "$1/.cairn/runs.db" "SELECT printf('%.3f', coalesce(sum(task_ms), 0) / 1000.0) FROM cell_run_log WHERE run_id = (SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, rowid DESC LIMIT 1)"; }
db_size() { sqlite3 "$1/.cairn/runs.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 || true; stat -c %s "$1/.cairn/runs.db"; }
package=(./build.sh --target=Package)

echo "bench: building (an untimed one-partition run)..."
python3 bench/make-scale-raw.py "$sample" "$work/raw-boot" 1 2>/dev/null || true
./build.sh --target=Ingest --exclusive --workspace="$work/ws-boot" --raw="$work/raw-boot" >"$logs/bootstrap.log" 2>&1 || { echo "bench: ./build.sh failed; see $logs/bootstrap.log" >&2; exit 1; }
set_aside "$work/ws-boot"

table=()
for n in ${sizes//,/ }; do
  raw="$work/raw-$n"
  ws="$work/ws-$n"
  if [[ ! -d $raw ]]; then
    echo "bench: generating $n days..."
    python3 bench/make-scale-raw.py "$sample" "$raw.tmp" "$n" && mv "$raw.tmp" "$raw"
  fi
  echo "bench: $n partitions..."
  first=() first_sys=() first_rss=() after=() noop=() noop_rss=() changed=() changed_own=() status=()
  for _ in $(seq "$first_runs"); do
    set_aside "$ws"
    measure "$logs/first-$n.txt" "${package[@]}" --workspace="$ws" --raw="$raw"
    first+=("$wall") first_sys+=("$sys") first_rss+=("$rss")
    # Right after the run: the stat cache must already vouch for what it wrote.
    measure "$logs/after-$n.txt" "${package[@]}" --workspace="$ws" --raw="$raw"
    after+=("$wall")
  done
  db_first=$(db_size "$ws")
  sleep 2.5
  measure "$logs/warm-$n.txt" "${package[@]}" --workspace="$ws" --raw="$raw"
  db_before=$(db_size "$ws")
  for _ in $(seq "$runs"); do
    measure "$logs/noop-$n.txt" "${package[@]}" --workspace="$ws" --raw="$raw"
    noop+=("$wall") noop_rss+=("$rss")
  done
  grep -q "Package: skipped, up to date" "$logs/noop-$n.txt" || { echo "bench: the no-op at $n ran something (log: $logs/noop-$n.txt)" >&2; exit 1; }
  db_growth=$(( ($(db_size "$ws") - db_before) / runs ))
  day=$(ls "$raw" | sed -n "$((n / 2 + 1))p")
  file="$raw/$day/seattle-weather.csv"
  original=$(cat "$file")
  for i in $(seq "$runs"); do
    if (( i % 2 )); then awk -F, -v OFS=, 'NR == 2 { $2 = sprintf("%.1f", $2 + 0.1) } { print }' <<<"$original" >"$file"; else printf '%s\n' "$original" >"$file"; fi
    measure "$logs/changed-$n.txt" "${package[@]}" --workspace="$ws" --raw="$raw"
    changed+=("$wall")
    changed_own+=("$(awk -v w="$wall" -v t="$(task_seconds "$ws")" 'BEGIN { printf "%.2f", w - t }')")
  done
  printf '%s\n' "$original" >"$file"
  "${package[@]}" --workspace="$ws" --raw="$raw" >/dev/null 2>&1
  sleep 2.5
  for _ in $(seq "$runs"); do
    measure "$logs/status-$n.txt" ./build.sh --target=Status --workspace="$ws" --raw="$raw"
    status+=("$wall")
  done
  peer="-"
  if [[ -n $snakemake_version && $n -le 5000 ]]; then
    snk="$work/snk-$n"
    set_aside "$snk"
    measure "$logs/snake-first-$n.txt" snakemake --snakefile "$root/bench/snakemake/Snakefile" --directory "$snk" --cores 2 --scheduler greedy --config raw="$raw" contract="$contract" --quiet all
    s_first=$wall
    measure "$logs/snake-noop-$n.txt" snakemake --snakefile "$root/bench/snakemake/Snakefile" --directory "$snk" --cores 2 --scheduler greedy --config raw="$raw" contract="$contract" --quiet all
    peer="$s_first s / $wall s"
    set_aside "$snk"
  elif [[ -z $snakemake_version ]]; then
    peer="not installed"
  fi
  own_ratio=$(awk -v o="$(median "${changed_own[@]}")" -v n="$(median "${noop[@]}")" 'BEGIN { printf "%.2fx", o / n }')
  table+=("$(printf '| %s | %s (sys %s) | %s | %s | %s | %s (%s) | %s | %s / %s MiB | %s / %s | %s |' \
    "$n" "$(stats "${first[@]}")" "$(median "${first_sys[@]}")" "$(stats "${noop[@]}")" "$(stats "${after[@]}")" \
    "$(stats "${changed[@]}")" "$(median "${changed_own[@]}")" "$own_ratio" "$(stats "${status[@]}")" "$(median "${noop_rss[@]}")" "$(median "${first_rss[@]}")" \
    "$(awk -v b="$db_first" 'BEGIN { printf "%.1f MB", b / 1e6 }')" "$(awk -v b="$db_growth" 'BEGIN { printf "%+.1f KB", b / 1e3 }')" "$peer")")
  set_aside "$ws"
done

echo
echo "Cairn at scale ($(date -u +%Y-%m-%d), $(nproc) cores; load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg));"
echo "seconds as median (min-max) of $runs runs ($first_runs for the first run and the no-op right after it):"
echo
echo "| partitions | first run | no-op | first no-op after a run | one changed day | its Cairn part (x no-op) | Status | peak memory no-op / first run | runs.db after first run / per no-op | Snakemake first / no-op |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${table[@]}"
rm -rf "$trash"
if [[ -z $snakemake_version ]]; then echo; echo "Snakemake is not installed: bench/run.sh (without --scale) installs it."; fi
