#!/usr/bin/env bash
# Cairn's bootstrapper: restore the Cake tool, build the selected pipeline's stage project when its sources changed,
# then run build/build.cake with every argument passed through. Its exit code is Cake's: 0 ok, 1 a stage failed, 2 usage.
# Each bootstrap step that has work to do says so in one line on stderr before it starts; a run that needs none
# prints nothing of its own. build.ps1 mirrors this file step for step: change both together. The same two files
# are the bootstrappers of every repository `dotnet new cairn` makes; Cairn's own repository also packs Cairn.Cake.
set -euo pipefail

# Relative --workspace, --raw and --pipeline paths start where the user is, not in build/ where Cake runs the script.
export CAIRN_CALLER_DIRECTORY="$PWD"
# A no-op run is a second long: the bootstrap works out what it has to do with bash alone, without a process per
# question (each costs a few milliseconds of CPU; twelve of them were a tenth of the no-op's overhead over Cake's).
script_folder=${BASH_SOURCE[0]%/*}
if [[ $script_folder == "${BASH_SOURCE[0]}" ]]; then script_folder=.; elif [[ -z $script_folder ]]; then script_folder=/; fi
cd "$script_folder"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A run lives seconds: profile-guided re-jitting costs more CPU than it wins back (a quarter of the user CPU of a
# first run of the sample: 5.8 s -> 4.2 s, measured with /usr/bin/time). Set DOTNET_TieredPGO=1 to have it anyway.
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}"
# A first run over many partitions leaves the heap mostly free space between what is still alive (107 MB alive in a
# 314 MB heap at 15,000 days): the collector compacts its oldest generation only when told to keep memory low. At 7 the
# peak of a 40,000-day first run falls from 819 to 571 MiB for the same CPU (README). DOTNET_GCConserveMemory=0 turns it off.
export DOTNET_GCConserveMemory="${DOTNET_GCConserveMemory:-7}"
# The collector's budget for new objects between collections is sized from the CPU's cache (32 MiB of L3 here), and a
# short run's heap grows by about that much. At 6 MiB the sample's first run peaks at 183 instead of 192 MiB and its
# no-op at 165 instead of 171 MiB, in the same time (5 runs each, alternated); at 40,000 days the times are level, a
# no-op's peak is 2% lower and a first run's 4% higher (README: The young generation's budget). DOTNET_GCgen0size=0
# gives the runtime's own budget back.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x600000}"
# A CI log is a file: no colour codes (Cake colours GitHub Actions and Azure logs even when piped) unless FORCE_COLOR is set.
if [[ ${CI:-} =~ ^[Tt]rue$ && -z ${FORCE_COLOR:-} ]]; then export NO_COLOR=1; fi
# Colour only on a terminal: Cake decides from TERM alone, so a pipe or a file gets NO_COLOR unless FORCE_COLOR is set.
if [[ ! -t 1 && -z ${FORCE_COLOR:-} ]]; then export NO_COLOR=1; fi
# Cake answers --help itself, before the script runs, with Cake's usage only; Cairn's Help target lists Cairn's
# arguments and targets (and Cake's switches that keep working).
arguments=()
pipeline=""
for argument in "$@"; do
  case $argument in
    -h | --help) arguments+=(--target=Help) ;;
    # Cake's parser fails on an empty value with its own words and exit code 255; a usage error is Cairn's exit code 2.
    --*=) printf '%s\n' "$argument: the value after '=' is empty; give one (${argument}VALUE) or leave the argument out. ./build.sh --help lists the arguments." >&2; exit 2 ;;
    --pipeline=*) pipeline=${argument#--pipeline=}; arguments+=("$argument") ;;
    *) arguments+=("$argument") ;;
  esac
done
set -- ${arguments[@]+"${arguments[@]}"}

state=.build/bootstrap
[[ -d $state ]] || mkdir -p "$state"
# One bootstrap at a time: runs started together on a fresh clone (an orchestrator's parallel tasks) would otherwise pack,
# build and compile the script at once and trip over each other's files (Cake's script cache is not safe to fill from
# two processes). The lock is held until Cake starts, not for the run. Without flock (macOS) runs are not guarded.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$state/bootstrap.lock"
  if ! flock -n 9; then
    printf '%s\n' "Waiting for another build script to finish its bootstrap…" >&2
    flock 9
  fi
fi
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
# Bootstrap lines go to stderr: stdout is Cake's, and --format=json promises a clean document there.
say() { printf '%s\n' "$1" >&2; }
# Runs a bootstrap command with its words held back; they are shown (on stderr) only if it fails, and its exit code
# ends the script. Its stdout is kept in $quiet_output.
quietly() { quiet_output=$("$@" 2>&1) || { local status=$?; printf '%s\n' "$quiet_output" >&2; exit "$status"; }; }
# Sets $match to the first capture of the pattern on the first line of the file that matches it (empty when none).
first_match() {
  local pattern=$1 line
  match=""
  [[ -f $2 ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ $pattern ]]; then match=${BASH_REMATCH[1]}; return 0; fi
  done <"$2"
}
# True when a file of a build's sources under the given paths (not in obj/ or bin/) is newer than the stamp.
changed_since() {
  local stamp=$1; shift
  local paths=() path known
  for path in "$@"; do
    [[ -e $path ]] || continue
    # A folder named twice (the pipeline's folder is also its project's) is searched once.
    for known in ${paths[@]+"${paths[@]}"}; do [[ $known == "$path" ]] && continue 2; done
    paths+=("$path")
  done
  [[ ${#paths[@]} -gt 0 ]] && [[ -n $(find "${paths[@]}" \( -name obj -o -name bin \) -prune -o \
    \( -name '*.cs' -o -name '*.cake' -o -name '*.*proj' -o -name '*.props' -o -name '*.targets' -o -name global.json -o -name nuget.config \) \
    -newer "$stamp" -print -quit) ]]
}
build_files=(global.json Directory.Build.props Directory.Build.targets Directory.Packages.props nuget.config)

# Restore the pinned tools only when the manifest changed or Cake is not in the package cache. The restore's own
# chatter (including its hint to move PowerShell to a version that does not run here) is shown only if it fails.
# The version in the "cake.tool" entry of dotnet-tools.json: its first "version" from that line to the entry's }.
cake_version=""
in_cake=""
while IFS= read -r line || [[ -n $line ]]; do
  if [[ -z $in_cake && $line == *'"cake.tool"'* ]]; then in_cake=1; fi
  if [[ -n $in_cake ]]; then
    if [[ $line =~ \"version\":\ *\"([^\"]*)\" ]]; then cake_version=${BASH_REMATCH[1]}; break; fi
    if [[ $line == *'}'* && $line != *'"cake.tool"'* ]]; then break; fi
  fi
done <dotnet-tools.json
if [[ ! -f $state/tools.stamp || dotnet-tools.json -nt $state/tools.stamp || ! -d $packages/cake.tool/$cake_version ]]; then
  if [[ ! -f $state/tools.stamp ]]; then say "Restoring tools (first run only)…"
  elif [[ dotnet-tools.json -nt $state/tools.stamp ]]; then say "Restoring tools (dotnet-tools.json changed)…"
  else say "Restoring tools (Cake is missing from $packages)…"; fi
  quietly dotnet tool restore
  touch "$state/tools.stamp"
fi

# Cake.Tool ships IL only: every run JIT-compiles some 3,000 methods of Cake, Spectre.Console and NuGet's client (a
# fifth of a no-op of the sample), and compiling build.cake JIT-compiles Roslyn. So Cake's assemblies are compiled ahead
# of time (ReadyToRun, by crossgen2 from NuGet) once per machine, Cake version and platform, into a cache beside NuGet's
# ($CAIRN_CACHE_HOME, else $XDG_CACHE_HOME/cairn, else ~/.cache/cairn), and runs start Cake from there: the same
# assemblies, each with native code beside its IL. One bootstrap compiles; one that finds it busy, or a machine where
# it fails (said once, tried again when dotnet-tools.json changes), runs Cake as shipped. CAIRN_CAKE_READY_TO_RUN=0
# always runs Cake as shipped.
cake_home=$packages/cake.tool/$cake_version/tools/net10.0/any
# The platform as .NET names it (linux-x64), from bash's own variables: build.ps1 names the same folder.
case ${OSTYPE:-} in linux*) cake_os=linux ;; darwin*) cake_os=osx ;; msys* | cygwin* | win*) cake_os=win ;; *) cake_os=${OSTYPE:-unknown} ;; esac
case ${HOSTTYPE:-} in x86_64 | amd64) cake_arch=x64 ;; aarch64 | arm64) cake_arch=arm64 ;; *) cake_arch=${HOSTTYPE:-unknown} ;; esac
cake_cache=${CAIRN_CACHE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn}
cake_ready=$cake_cache/cake-$cake_version-$cake_os-$cake_arch
# Publishes the project in $1 (Cake's assemblies compiled ahead of time), then puts Cake as shipped, with those
# assemblies in place of its own, at $cake_ready by a rename: a run never starts a half-copied Cake.
compile_cake() {
  local compile=$1 compiled name
  if [[ -e $cake_ready ]]; then printf '%s\n' "error: $cake_ready is in the way of the compiled Cake: remove it."; return 1; fi
  dotnet publish "$compile/CakeReadyToRun.csproj" -c Release -o "$compile/published" --nologo -v quiet -clp:ErrorsOnly \
    "-p:CakeFolder=$cake_home/" -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false -p:ImportDirectoryPackagesProps=false || return 1
  cp -R "$cake_home" "$cake_ready.next" || return 1
  for compiled in "$compile"/published/*.dll; do
    name=${compiled##*/}
    if [[ -f $cake_ready.next/$name ]]; then cp "$compiled" "$cake_ready.next/$name" || return 1; fi
  done
  if [[ -e $cake_ready ]]; then printf '%s\n' "error: $cake_ready is in the way of the compiled Cake: remove it."; return 1; fi
  mv "$cake_ready.next" "$cake_ready"
}
if [[ ${CAIRN_CAKE_READY_TO_RUN:-1} != 0 && -f $cake_home/Cake.dll && ! -f $cake_ready/Cake.dll ]] \
  && [[ ! -f $state/cake-ready-to-run.failed || dotnet-tools.json -nt $state/cake-ready-to-run.failed ]]; then
  # A cache folder that cannot be made or written (a read-only home) leaves Cake as shipped, without a word.
  if mkdir -p "$cake_cache" 2>/dev/null && [[ -w $cake_cache ]] && exec 8>"$cake_cache/compile.lock" \
    && { ! command -v flock >/dev/null 2>&1 || flock -n 8; }; then
    if [[ ! -f $cake_ready/Cake.dll ]]; then
      say "Compiling Cake ahead of time for this machine (once per Cake version, about half a minute)…"
      # The project is written under .build/ so that the repository's nuget.config finds crossgen2, but none of its
      # Directory.Build.* files or central package versions apply to it.
      compile=.build/cake-ready-to-run
      rm -rf "$compile" "$cake_ready.next"
      mkdir -p "$compile"
      cat >"$compile/CakeReadyToRun.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Written by build.sh (build.ps1 writes the same): Cake's assemblies (CakeFolder), compiled ahead of time for this platform. -->
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
    <PublishReadyToRun>true</PublishReadyToRun>
    <EnableDefaultItems>false</EnableDefaultItems>
    <GenerateDocumentationFile>false</GenerateDocumentationFile>
    <NoWarn>$(NoWarn);MSB3245;MSB3246;MSB3277</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$(CakeFolder)*.dll" Private="true" />
  </ItemGroup>
</Project>
PROJECT
      if compile_output=$(compile_cake "$compile" 2>&1); then
        rm -f "$state/cake-ready-to-run.failed"
      else
        # Its error lines, else its last lines: what went wrong, in the tool's words.
        printf '%s\n' "$compile_output" | grep -i -m 3 'error' >&2 || printf '%s\n' "$compile_output" | tail -n 3 >&2
        say "Could not compile Cake ahead of time (above); Cake runs as shipped until dotnet-tools.json changes. CAIRN_CAKE_READY_TO_RUN=0 stops the attempts."
        touch "$state/cake-ready-to-run.failed"
      fi
      rm -rf "$compile" "$cake_ready.next"
    fi
  fi
  exec 8>&-
fi
if [[ ${CAIRN_CAKE_READY_TO_RUN:-1} != 0 && -f $cake_ready/Cake.dll ]]; then cake_home=$cake_ready; fi

extra=()
# Cairn's own repository runs its sample on the engine of its working tree, taken the way every repository takes a
# released one: pack Cairn.Cake (the engine and Cairn.cake) into .build/packages when its sources changed, and let
# build/build.cake's #load find it there and nowhere else.
if [[ -f tasks/Cairn.Cake/Cairn.Cake.csproj ]]; then
  export CAKE_NUGET_SOURCE="$root/.build/packages"
  first_match '<CairnVersion>(.*)</CairnVersion>' Directory.Build.props
  cairn_version=$match
  if [[ ! -f .build/packages/Cairn.Cake.$cairn_version.nupkg || ! -f $state/pack.stamp ]] \
    || changed_since "$state/pack.stamp" tasks/Cairn.Tasks tasks/Cairn.Service tasks/Cairn.Worker tasks/Cairn.Cake "${build_files[@]}"; then
    if [[ -f $state/pack.stamp ]]; then say "Packing Cairn.Cake (sources changed)…"; else say "Packing Cairn.Cake (first run)…"; fi
    touch "$state/pack.stamp.next"
    quietly dotnet pack tasks/Cairn.Cake/Cairn.Cake.csproj -c Release -o .build/packages --nologo -v quiet -clp:ErrorsOnly
    # Cake installs a package version once: drop its copy so that the next #load installs the one just packed.
    rm -rf ".build/cake/tools/Cairn.Cake.$cairn_version" ".build/cake/tools/cairn.cake.$cairn_version"
    mv "$state/pack.stamp.next" "$state/pack.stamp"
    # The script cache does not see a changed #r assembly; recompile the script once after a pack.
    extra+=(--invalidate-script-cache)
  fi
fi

# The selected pipeline's folder: pipelines/NAME for --pipeline=NAME, the folder of a pipeline file given by path, or
# the only folder under pipelines/ that holds a pipeline.yaml. When none can be told, or NAME is not a name, nothing is
# built here: Cairn then says what is wrong and lists the pipelines.
name_pattern='^[A-Za-z][A-Za-z0-9_]*$'
folder=""
if [[ -z $pipeline ]]; then
  shopt -s nullglob
  found=(pipelines/*/pipeline.yaml)
  shopt -u nullglob
  if [[ ${#found[@]} -eq 1 && ${found[0]} =~ ^pipelines/([^/]*)/ && ${BASH_REMATCH[1]} =~ $name_pattern ]]; then folder=${found[0]%/pipeline.yaml}; fi
elif [[ $pipeline == */* || $pipeline == *.yaml || $pipeline == *.yml || $pipeline == . || $pipeline == .. ]]; then
  path=$pipeline
  if [[ $path != /* ]]; then path=$CAIRN_CALLER_DIRECTORY/$path; fi
  if [[ -d $path ]]; then folder=$path; elif [[ -f $path ]]; then folder=$(dirname "$path"); fi
elif [[ $pipeline =~ $name_pattern && -f pipelines/$pipeline/pipeline.yaml ]]; then
  folder=pipelines/$pipeline
fi

# Its stage project: the project 'assembly:' names, else the one project in its folder. It is built (Release) only when
# a source of it, of a project it references, or a build file of the repository is newer than its last good build.
project=""
if [[ -n $folder && -f $folder/pipeline.yaml ]]; then
  first_match "^assembly:[[:space:]]*[\"']?([^\"'#]*)" "$folder/pipeline.yaml"
  assembly=$match
  assembly=${assembly%"${assembly##*[![:space:]]}"}
  if [[ $assembly == *.*proj ]]; then
    if [[ $assembly == /* ]]; then project=$assembly; else project=$folder/$assembly; fi
  else
    shopt -s nullglob
    projects=("$folder"/*.*proj)
    shopt -u nullglob
    if [[ ${#projects[@]} -eq 1 ]]; then project=${projects[0]}; fi
  fi
fi
if [[ -n $project && -f $project ]]; then
  if [[ $project == */* ]]; then project_folder=${project%/*}; project_folder=${project_folder:-/}; else project_folder=.; fi
  references=()
  reference_pattern='<ProjectReference[^>]*Include="([^"]*)"'
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ $reference_pattern ]]; then
      reference=${BASH_REMATCH[1]//\\//}
      if [[ $reference == */* ]]; then reference=${reference%/*}; reference=${reference:-/}; else reference=.; fi
      [[ -n ${BASH_REMATCH[1]} ]] && references+=("$project_folder/$reference")
    fi
  done <"$project"
  stamp_name=${project#"$root"/}
  stamp=$state/build-${stamp_name//[^A-Za-z0-9._-]/_}.stamp
  built=""
  if [[ -f $stamp ]]; then IFS= read -r built <"$stamp" || true; fi
  if [[ -z $built || ! -f $built ]] || changed_since "$stamp" "$project_folder" "$folder" ${references[@]+"${references[@]}"} "${build_files[@]}"; then
    if [[ -n $built && -f $built ]]; then say "Building $project (sources changed)…"; else say "Building $project (first run)…"; fi
    touch "$stamp.next"
    # Its words (a "Build succeeded" summary that -v quiet still prints) are shown only if it fails, then on stderr, with
    # what to do: a stage project that does not build is bad input (exit 2). When the build fails before its targets run
    # (NETSDK1013 for a project without a target framework), MSBuild then crashes writing the result asked for
    # (MSB1025 and a stack trace); otherwise it writes that result (a JSON document): its words stop before either.
    if ! quiet_output=$(dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly -getProperty:TargetPath -getTargetResult:Build 2>&1); then
      shown=$(printf '%s\n' "$quiet_output" | awk '/MSB1025/ || /^\{$/ { exit } { print }')
      printf '%s\n' "${shown:-$quiet_output}" >&2
      outside=""
      if [[ $project == /* && $project != "$root"/* ]]; then
        outside=" It is outside this repository ($root), whose Directory.Build.props gives the projects in it their target framework and Cairn's packages: keep the pipeline under pipelines/, or make its project build on its own (dotnet build $project)."
      fi
      printf '%s\n' "$project does not build (its errors are above): fix them, then run the build script again.$outside" >&2
      exit 2
    fi
    sed -n 's/^ *"TargetPath": *"\(.*\)",\{0,1\}$/\1/p' <<<"$quiet_output" | head -n 1 >"$stamp.next"
    mv "$stamp.next" "$stamp"
  fi
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
# Cake analyses the script twice: first to install the packages of its #module directives (Cake's bootstrap), then to
# run it. Each analysis installs every #load nuget: package anew with Cake's in-process NuGet client, and the first one
# resolves cake.config's relative paths from the folder Cake starts in (the repository), not from build/: it unpacked
# Cairn.Cake into ../.build/cake/tools, outside the repository. No script here has a #module directive, so that pass
# (about 0.3 s of CPU time for --target=Help here) is skipped unless a script in build/ gets one.
cake_options=()
has_module=""
for script in build/*.cake; do
  [[ -f $script ]] || continue
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ ^[[:space:]]*#module ]]; then has_module=1; break 2; fi
  done <"$script"
done
if [[ -z $has_module ]]; then cake_options+=(--skip-bootstrap); fi

host_flag=""
for argument in "$@"; do
  case $argument in
    --tree | --showtree | --description | --descriptions | --showdescription | --showdescriptions | --dryrun | --noop | --whatif) host_flag=$argument ;;
  esac
done
if [[ -n $host ]]; then
  cached=""
  for compiled in .build/cake-cache/build."$host".*.dll; do
    if [[ -f $compiled && $compiled -nt build/build.cake ]]; then cached=$compiled; break; fi
  done
  if [[ $recompile -gt 0 || -z $cached ]]; then
    say "Compiling build/build.cake…"
    # Compiled here, under the bootstrap lock, by a run of the Help target whose output is dropped; the run itself then
    # finds it cached. A script that does not compile is compiled again by the run, which shows the error.
    cake_for_compile=$cake_home/Cake.dll
    if [[ -f $cake_for_compile ]]; then
      dotnet "$cake_for_compile" build/build.cake ${cake_options[@]+"${cake_options[@]}"} ${extra[@]+"${extra[@]}"} ${host_flag:+"$host_flag"} --target=Help >/dev/null 2>&1 || true
    else
      dotnet cake build/build.cake ${cake_options[@]+"${cake_options[@]}"} ${extra[@]+"${extra[@]}"} ${host_flag:+"$host_flag"} --target=Help >/dev/null 2>&1 || true
    fi
    extra=()
  fi
fi
if command -v flock >/dev/null 2>&1; then exec 9>&-; fi

# With --format=json stdout carries the document alone, whatever --verbosity: Cake prints its own lines (at verbose
# and diagnostic, "Analyzing build script…") before the script runs, so Cake's stdout becomes stderr and the document
# goes to the real stdout through file descriptor 3 (CAIRN_DOCUMENT_FD).
previous=""
for argument in "$@"; do
  if [[ $argument == --format=json || ( $previous == --format && $argument == json ) ]]; then
    exec 3>&1 1>&2
    export CAIRN_DOCUMENT_FD=3
    break
  fi
  previous=$argument
done

# Start Cake from its entry assembly (compiled ahead of time, or in the package cache): `dotnet cake` first boots the
# SDK's command line just to find the local tool, about 0.3 s of CPU on every run. Same tool, same version, same runtime.
cake_dll=$cake_home/Cake.dll
if [[ -f $cake_dll ]]; then
  exec dotnet "$cake_dll" build/build.cake ${cake_options[@]+"${cake_options[@]}"} ${extra[@]+"${extra[@]}"} "$@"
fi
exec dotnet cake build/build.cake ${cake_options[@]+"${cake_options[@]}"} ${extra[@]+"${extra[@]}"} "$@"
