#!/usr/bin/env bash
# Cairn's bootstrapper: restore the Cake tool, build the stage tasks when their sources changed, then run
# build/build.cake with every argument passed through. Its exit code is Cake's: 0 ok, 1 a stage failed, 2 usage.
# Each bootstrap step that has work to do says so in one line on stderr before it starts; a run that needs none
# prints nothing of its own. build.ps1 mirrors this file step for step: change both together.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Relative --workspace and --raw paths start where the user is, not in build/ where Cake runs the script.
export CAIRN_CALLER_DIRECTORY="$PWD"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A run lives seconds: profile-guided re-jitting costs more CPU than it wins back (a quarter of the user CPU of a
# first run of the sample: 5.8 s -> 4.2 s, measured with /usr/bin/time). Set DOTNET_TieredPGO=1 to have it anyway.
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"
# A CI log is a file: no colour codes (Cake colours GitHub Actions and Azure logs even when piped) unless FORCE_COLOR is set.
if [[ ${CI:-} =~ ^[Tt]rue$ && -z ${FORCE_COLOR:-} ]]; then export NO_COLOR=1; fi
# Colour only on a terminal: Cake decides from TERM alone, so a pipe or a file gets NO_COLOR unless FORCE_COLOR is set.
if [[ ! -t 1 && -z ${FORCE_COLOR:-} ]]; then export NO_COLOR=1; fi
# Cake answers --help itself, before the script runs, with Cake's usage only; Cairn's Help target lists Cairn's
# arguments and targets (and Cake's switches that keep working).
arguments=()
for argument in "$@"; do
  case $argument in
    -h | --help) arguments+=(--target=Help) ;;
    *) arguments+=("$argument") ;;
  esac
done
set -- ${arguments[@]+"${arguments[@]}"}

state=.build/bootstrap
mkdir -p "$state"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
# Bootstrap lines go to stderr: stdout is Cake's, and --format=json promises a clean document there.
say() { printf '%s\n' "$1" >&2; }

# Restore the pinned tools only when the manifest changed or Cake is not in the package cache. The restore's own
# chatter (including its hint to move PowerShell to a version that does not run here) is shown only if it fails.
cake_version=$(sed -n '/"cake.tool"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' dotnet-tools.json)
if [[ ! -f $state/tools.stamp || dotnet-tools.json -nt $state/tools.stamp || ! -d $packages/cake.tool/$cake_version ]]; then
  if [[ ! -f $state/tools.stamp ]]; then say "Restoring tools (first run only)…"
  elif [[ dotnet-tools.json -nt $state/tools.stamp ]]; then say "Restoring tools (dotnet-tools.json changed)…"
  else say "Restoring tools (Cake is missing from $packages)…"; fi
  restore_log=$(dotnet tool restore 2>&1) || { status=$?; printf '%s\n' "$restore_log" >&2; exit "$status"; }
  touch "$state/tools.stamp"
fi

# Build only when a source or build file is newer than the last successful build (a no-op run pays no dotnet build).
output=.build/bin/Cairn.Pipelines.Weather/release/Cairn.Pipelines.Weather.dll
extra=()
if [[ ! -f $output || ! -f $state/build.stamp ]] \
  || [[ -n $(find tasks pipelines global.json Directory.Build.props Directory.Build.targets Directory.Packages.props \
        \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name global.json \) \
        -newer "$state/build.stamp" -print -quit) ]]; then
  if [[ -f $output && -f $state/build.stamp ]]; then say "Building the stage tasks (sources changed)…"; else say "Building the stage tasks (first run)…"; fi
  touch "$state/build.stamp.next"
  # Its words (a "Build succeeded" summary that -v quiet still prints) are shown only if it fails, then on stderr.
  build_log=$(dotnet build pipelines/weather/Cairn.Pipelines.Weather.csproj -c Release --nologo -v quiet -clp:ErrorsOnly 2>&1) \
    || { status=$?; printf '%s\n' "$build_log" >&2; exit "$status"; }
  mv "$state/build.stamp.next" "$state/build.stamp"
  # The script cache does not see a rebuilt #r assembly; recompile the script once after a build.
  extra+=(--invalidate-script-cache)
fi

# Serve (the Cairn service, issue 14): an ASP.NET Core program, built beside the stage tasks it runs (where the Cake
# script finds them too), and only for that target; dotnet build itself skips what is up to date.
if [[ " ${*,,} " == *" --target=serve "* ]]; then
  say "Building the service…"
  build_log=$(dotnet build tasks/Cairn.Service/Cairn.Service.csproj -c Release --nologo -v quiet -clp:ErrorsOnly "-p:OutDir=$root/$(dirname "$output")/" 2>&1) \
    || { status=$?; printf '%s\n' "$build_log" >&2; exit "$status"; }
fi

# Cake compiles build.cake (a few seconds) unless its cache (build/cake.config: .build/cake-cache) holds an assembly
# for this kind of run newer than the script; it keys them by the script's hash, which a shell cannot cheaply
# repeat, so the file times stand in for it. --version and --info compile nothing.
host=BuildScriptHost
recompile=${#extra[@]}
for argument in "$@"; do
  case $argument in
    --version | --info) host=""; break ;;
    --tree | --showtree) host=TreeScriptHost ;;
    --description | --descriptions | --showdescription | --showdescriptions) host=DescriptionScriptHost ;;
    --dryrun | --noop | --whatif) host=DryRunScriptHost ;;
    --invalidate-script-cache) recompile=1 ;;
  esac
done
if [[ -n $host ]]; then
  cached=$(find .build/cake-cache -maxdepth 1 -name "build.$host.*.dll" -newer build/build.cake -print -quit 2>/dev/null || true)
  if [[ $recompile -gt 0 || -z $cached ]]; then say "Compiling build/build.cake…"; fi
fi

# Start Cake from its entry assembly in the package cache: `dotnet cake` first boots the SDK's command line just to
# find the local tool, about 0.3 s of CPU on every run. Same tool, same version, same runtime (net10.0, as pinned).
cake_dll=$packages/cake.tool/$cake_version/tools/net10.0/any/Cake.dll
if [[ -f $cake_dll ]]; then
  exec dotnet "$cake_dll" build/build.cake "${extra[@]}" "$@"
fi
exec dotnet cake build/build.cake "${extra[@]}" "$@"
