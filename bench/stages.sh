#!/usr/bin/env bash
# The built-in stages' throughput and peak memory (issue 11): builds the bench tool in Release and runs
# `Cairn.Bench stages` on generated one-day partitions (weather-shaped CSV and Parquet, flights-shaped CSV and Parquet;
# generated once and kept in .build/bench/stages/). Each figure is the median of --runs fresh processes; rows per
# second per core are rows over the CPU time of the measured run, which other work on the machine disturbs less than
# wall time. Prints a table against the goals. Not part of the test command.
#
#   bench/stages.sh [--runs=N] [--rows=N]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# As build.sh runs Cairn.
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"

runs=5
rows=1000000
for argument in "$@"; do
  case $argument in
    --runs=*) runs=${argument#*=} ;;
    --rows=*) rows=${argument#*=} ;;
    *) echo "bench/stages.sh: unknown argument $argument; use --runs=N or --rows=N" >&2; exit 2 ;;
  esac
done

work="$root/.build/bench/stages"
mkdir -p "$work"
echo "bench: building Release..." >&2
dotnet build bench/Cairn.Bench/Cairn.Bench.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
dotnet "$root/.build/bin/Cairn.Bench/release/Cairn.Bench.dll" stages "$root" "$work" "$runs" "$rows"
