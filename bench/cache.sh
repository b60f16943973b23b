#!/usr/bin/env bash
# The shared cache's gain (issue 15): the sample pipeline built from scratch versus built from a warm cache, each in a
# fresh workspace on the same raw landing zone. Starts a real nginx WebDAV store on 127.0.0.1 in .build/bench/cache
# (stopped by its pid at the end), fills it once from workspace "fill", then alternates cold runs (no cache) and warm
# runs (--cache-mode=read) so the machine's load falls on both alike, and prints every run's wall time and the run's
# own figure, the medians and their ratio, with the load average. Not part of the test command.
#
#   bench/cache.sh [--runs=N] [--days=N]     (defaults: 3 pairs, all 1,461 days)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=3
days=100000
for argument in "$@"; do
  case $argument in
    --runs=*) runs=${argument#*=} ;;
    --days=*) days=${argument#*=} ;;
    *) echo "bench/cache.sh: unknown argument $argument; use --runs=N or --days=N" >&2; exit 2 ;;
  esac
done
nginx=$(command -v nginx || true)
[[ -z $nginx && -x /usr/sbin/nginx ]] && nginx=/usr/sbin/nginx
[[ -n $nginx ]] || { echo "bench/cache.sh: needs nginx with the WebDAV module: apt-get install nginx-extras" >&2; exit 2; }

work="$root/.build/bench/cache"
rm -rf "$work"
mkdir -p "$work/nginx/store" "$work/nginx/temp" "$work/logs"
python3 bench/make-raw.py pipelines/weather/data/seattle-weather.csv "$work/raw" "$days"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user=""
if [[ $(id -u) -eq 0 ]]; then user="user root;"; fi
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
$user
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx/temp/body;
  server {
    listen 127.0.0.1:$port;
    root $work/nginx/store;
    client_max_body_size 0;
    keepalive_requests 100000;
    location / {
      dav_methods PUT;
      create_full_put_path on;
    }
  }
}
EOF
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
cache="http://127.0.0.1:$port/cairn"

# run NAME ARGUMENTS...: builds the sample into a fresh workspace; prints "WALL RUN" (seconds: the process's, the run's own figure).
run() {
  local name=$1
  shift
  rm -rf "$work/$name"
  local start end
  start=$(date +%s%N)
  if ! ./build.sh --target=Package --workspace="$work/$name" --raw="$work/raw" "$@" >"$work/logs/$name.txt" 2>&1; then
    echo "bench/cache.sh: the $name run failed; see $work/logs/$name.txt" >&2
    tail -n 20 "$work/logs/$name.txt" >&2
    exit 1
  fi
  end=$(date +%s%N)
  local own
  own=$(sed -n 's/^Cairn run .* succeeded in \([0-9.]*\) s.*/\1/p' "$work/logs/$name.txt")
  awk -v s="$start" -v e="$end" -v o="$own" 'BEGIN { printf "%.2f %s\n", (e - s) / 1e9, o }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "filling the cache ($cache)..."
run fill --cache="$cache" >/dev/null
grep -E "^cache .* uploaded" "$work/logs/fill.txt" || true
cold_wall=(); cold_run=(); warm_wall=(); warm_run=()
for i in $(seq "$runs"); do
  read -r wall own < <(run "cold-$i")
  cold_wall+=("$wall"); cold_run+=("$own")
  echo "cold $i: $wall s wall, run $own s"
  read -r wall own < <(run "warm-$i" --cache="$cache" --cache-mode=read)
  warm_wall+=("$wall"); warm_run+=("$own")
  echo "warm $i: $wall s wall, run $own s"
  if grep -q "warning" "$work/logs/warm-$i.txt"; then grep "warning" "$work/logs/warm-$i.txt" >&2; fi
done
if ! diff -r -q "$work/cold-1/data" "$work/warm-1/data" >/dev/null; then
  echo "bench/cache.sh: the warm workspace's data/ differs from the cold one's" >&2
  exit 1
fi
echo "last warm run:"
sed -n '/^Cairn run /,$p' "$work/logs/warm-$runs.txt"
cw=$(median "${cold_wall[@]}"); cr=$(median "${cold_run[@]}")
ww=$(median "${warm_wall[@]}"); wr=$(median "${warm_run[@]}")
echo "median of $runs: cold $cw s wall ($cr s run), warm $ww s wall ($wr s run)"
awk -v cw="$cw" -v ww="$ww" -v cr="$cr" -v wr="$wr" 'BEGIN { printf "warm cache is %.1fx faster by wall time, %.1fx by the run'"'"'s own figure (goal: >= 5x)\n", cw / ww, cr / wr }'
echo "load average: before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"
