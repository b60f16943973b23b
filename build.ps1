#!/usr/bin/env pwsh
# Cairn's bootstrapper, mirroring build.sh argument for argument and step for step: restore the Cake tool, build the
# stage tasks when their sources changed, then run build/build.cake with every argument passed through. Its exit code
# is Cake's: 0 ok, 1 a stage failed, 2 usage. Each bootstrap step that has work to do says so in one line on stderr
# before it starts; a run that needs none prints nothing of its own. Change build.sh and this file together
# (tests/Cairn.Tests/CommandLine/BuildPs1Tests.cs compares them).
# Where PowerShell is not installed: dotnet tool restore, then dotnet tool run pwsh -NoProfile -File build.ps1 ...
# Kept to Windows PowerShell 5.1's language, and ASCII: 5.1 reads a file without a byte order mark as ANSI.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
# Relative --workspace and --raw paths start where the user is, not in build/ where Cake runs the script.
$env:CAIRN_CALLER_DIRECTORY = (Get-Location).ProviderPath
Set-Location $root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# A run lives seconds: profile-guided re-jitting costs more CPU than it wins back (a quarter of the user CPU of a
# first run of the sample: 5.8 s -> 4.2 s, measured with /usr/bin/time). Set DOTNET_TieredPGO=1 to have it anyway.
if (-not $env:DOTNET_TieredPGO) { $env:DOTNET_TieredPGO = '0' }
# A CI log is a file: no colour codes (Cake colours GitHub Actions and Azure logs even when piped) unless FORCE_COLOR is set.
if ($env:CI -cmatch '^[Tt]rue$' -and -not $env:FORCE_COLOR) { $env:NO_COLOR = '1' }
# Colour only on a terminal: Cake decides from TERM alone, so a pipe or a file gets NO_COLOR unless FORCE_COLOR is set.
if ([Console]::IsOutputRedirected -and -not $env:FORCE_COLOR) { $env:NO_COLOR = '1' }
# Cake answers --help itself, before the script runs, with Cake's usage only; Cairn's Help target lists Cairn's
# arguments and targets (and Cake's switches that keep working).
$args = @($args | ForEach-Object { if (@('-h', '--help') -ccontains $_) { '--target=Help' } else { $_ } })

$state = '.build/bootstrap'
New-Item -ItemType Directory -Force -Path $state | Out-Null
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { "$HOME/.nuget/packages" }
# Bootstrap lines go to stderr: stdout is Cake's, and --format=json promises a clean document there.
$ellipsis = [char]0x2026
function Say([string] $line) { [Console]::Error.WriteLine($line + $ellipsis) }

function Test-Newer([string] $path, [string] $than) {
    return (Get-Item -LiteralPath $path).LastWriteTimeUtc -gt (Get-Item -LiteralPath $than).LastWriteTimeUtc
}

# Runs a bootstrap command with its words held back; they are shown (on stderr) only if it fails, and its exit code
# ends the script.
function Invoke-Quietly([scriptblock] $command) {
    # Native stderr under 'Stop' would throw in Windows PowerShell 5.1 before the exit code could be read.
    $ErrorActionPreference = 'Continue'
    $log = & $command 2>&1
    if ($LASTEXITCODE -ne 0) {
        $code = $LASTEXITCODE
        $log | ForEach-Object { [Console]::Error.WriteLine("$_") }
        exit $code
    }
}

# Restore the pinned tools only when the manifest changed or Cake is not in the package cache. The restore's own
# chatter (including its hint to move PowerShell to a version that does not run here) is shown only if it fails.
$cakeVersion = (Get-Content -Raw 'dotnet-tools.json' | ConvertFrom-Json).tools.'cake.tool'.version
$toolsStamp = "$state/tools.stamp"
if (-not (Test-Path $toolsStamp) -or (Test-Newer 'dotnet-tools.json' $toolsStamp) -or -not (Test-Path "$packages/cake.tool/$cakeVersion" -PathType Container)) {
    if (-not (Test-Path $toolsStamp)) { Say 'Restoring tools (first run only)' }
    elseif (Test-Newer 'dotnet-tools.json' $toolsStamp) { Say 'Restoring tools (dotnet-tools.json changed)' }
    else { Say "Restoring tools (Cake is missing from $packages)" }
    Invoke-Quietly { dotnet tool restore }
    New-Item -ItemType File -Force -Path $toolsStamp | Out-Null
}

# Build only when a source or build file is newer than the last successful build (a no-op run pays no dotnet build).
$output = '.build/bin/Cairn.Pipelines.Weather/release/Cairn.Pipelines.Weather.dll'
$buildStamp = "$state/build.stamp"
$extra = @()
$built = (Test-Path $output -PathType Leaf) -and (Test-Path $buildStamp)
$stale = -not $built
if (-not $stale) {
    $since = (Get-Item $buildStamp).LastWriteTimeUtc
    # As build.sh's find: *.cs, *.csproj, *.props, *.targets and global.json under tasks/ and pipelines/ (not in obj/
    # or bin/, judged below the repository so a clone under a folder named bin is not skipped whole), and the
    # repository's own build files.
    $inputs = @(Get-ChildItem -Recurse -File -Path 'tasks', 'pipelines' -Include '*.cs', '*.csproj', '*.props', '*.targets', 'global.json' |
            Where-Object { $_.FullName.Substring($root.Length) -notmatch '[\\/](obj|bin)[\\/]' }) +
        @(Get-Item 'global.json', 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props')
    $stale = @($inputs | Where-Object { $_.LastWriteTimeUtc -gt $since }).Count -gt 0
}
if ($stale) {
    if ($built) { Say 'Building the stage tasks (sources changed)' } else { Say 'Building the stage tasks (first run)' }
    $next = "$state/build.stamp.next"
    New-Item -ItemType File -Force -Path $next | Out-Null
    # Its words (a "Build succeeded" summary that -v quiet still prints) are shown only if it fails, then on stderr.
    Invoke-Quietly { dotnet build pipelines/weather/Cairn.Pipelines.Weather.csproj -c Release --nologo -v quiet -clp:ErrorsOnly }
    Move-Item -Force $next $buildStamp
    # The script cache does not see a rebuilt #r assembly; recompile the script once after a build.
    $extra += '--invalidate-script-cache'
}

# Serve (the Cairn service, issue 14): an ASP.NET Core program, built beside the stage tasks it runs (where the Cake
# script finds them too), and only for that target; dotnet build itself skips what is up to date.
if (@($args | Where-Object { $_ -eq '--target=Serve' }).Count -gt 0) {
    Say 'Building the service'
    $serviceOut = "$root/$(Split-Path $output)/"
    Invoke-Quietly { dotnet build tasks/Cairn.Service/Cairn.Service.csproj -c Release --nologo -v quiet -clp:ErrorsOnly "-p:OutDir=$serviceOut" }
}

# Cake compiles build.cake (a few seconds) unless its cache (build/cake.config: .build/cake-cache) holds an assembly
# for this kind of run newer than the script; it keys them by the script's hash, which a shell cannot cheaply
# repeat, so the file times stand in for it. --version and --info compile nothing.
$scriptHost = 'BuildScriptHost'
$recompile = $extra.Count
foreach ($argument in $args) {
    if (@('--version', '--info') -ccontains $argument) { $scriptHost = ''; break }
    elseif (@('--tree', '--showtree') -ccontains $argument) { $scriptHost = 'TreeScriptHost' }
    elseif (@('--description', '--descriptions', '--showdescription', '--showdescriptions') -ccontains $argument) { $scriptHost = 'DescriptionScriptHost' }
    elseif (@('--dryrun', '--noop', '--whatif') -ccontains $argument) { $scriptHost = 'DryRunScriptHost' }
    elseif ($argument -ceq '--invalidate-script-cache') { $recompile = 1 }
}
if ($scriptHost) {
    $scriptTime = (Get-Item 'build/build.cake').LastWriteTimeUtc
    $cached = @(Get-ChildItem -File -Path '.build/cake-cache' -Filter "build.$scriptHost.*.dll" -ErrorAction SilentlyContinue |
            Where-Object { $_.LastWriteTimeUtc -gt $scriptTime })
    if ($recompile -gt 0 -or $cached.Count -eq 0) { Say 'Compiling build/build.cake' }
}

# Start Cake from its entry assembly in the package cache: `dotnet cake` first boots the SDK's command line just to
# find the local tool, about 0.3 s of CPU on every run. Same tool, same version, same runtime (net10.0, as pinned).
$cakeDll = "$packages/cake.tool/$cakeVersion/tools/net10.0/any/Cake.dll"
if (Test-Path $cakeDll -PathType Leaf) {
    & dotnet $cakeDll build/build.cake @extra @args
}
else {
    & dotnet cake build/build.cake @extra @args
}
exit $LASTEXITCODE
