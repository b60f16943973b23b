#!/usr/bin/env pwsh
# Cairn's bootstrapper, mirroring build.sh argument for argument and step for step: restore the Cake tool, build the
# selected pipeline's stage project when its sources changed, then run build/build.cake with every argument passed
# through. Its exit code is Cake's: 0 ok, 1 a stage failed, 2 usage. Each bootstrap step that has work to do says so
# in one line on stderr before it starts; a run that needs none prints nothing of its own. Change build.sh and this
# file together (Cairn's tests/Cairn.Tests/CommandLine/BuildPs1Tests.cs compares them). The same two files are the
# bootstrappers of every repository `dotnet new cairn` makes; Cairn's own repository also packs Cairn.Cake.
# Where PowerShell is not installed: dotnet tool restore, then dotnet tool run pwsh -NoProfile -File build.ps1 ...
# Kept to Windows PowerShell 5.1's language, and ASCII: 5.1 reads a file without a byte order mark as ANSI.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
# Relative --workspace, --raw and --pipeline paths start where the user is, not in build/ where Cake runs the script.
$env:CAIRN_CALLER_DIRECTORY = (Get-Location).ProviderPath
Set-Location $root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# A run lives seconds: profile-guided re-jitting costs more CPU than it wins back (a quarter of the user CPU of a
# first run of the sample: 5.8 s -> 4.2 s, measured with /usr/bin/time). Set DOTNET_TieredPGO=1 to have it anyway.
if (-not $env:DOTNET_TieredPGO) { $env:DOTNET_TieredPGO = '0' }
# A first run over many partitions leaves the heap mostly free space between what is still alive (107 MB alive in a
# 314 MB heap at 15,000 days): the collector compacts its oldest generation only when told to keep memory low. At 7 the
# peak of a 40,000-day first run falls from 819 to 571 MiB for the same CPU (README). DOTNET_GCConserveMemory=0 turns it off.
if (-not $env:DOTNET_GCConserveMemory) { $env:DOTNET_GCConserveMemory = '7' }
# The collector's budget for new objects between collections is sized from the CPU's cache (32 MiB of L3 here), and a
# short run's heap grows by about that much. At 6 MiB the sample's first run peaks at 183 instead of 192 MiB and its
# no-op at 165 instead of 171 MiB, in the same time (5 runs each, alternated); at 40,000 days the times are level, a
# no-op's peak is 2% lower and a first run's 4% higher (README: The young generation's budget). DOTNET_GCgen0size=0
# gives the runtime's own budget back.
if (-not $env:DOTNET_GCgen0size) { $env:DOTNET_GCgen0size = '0x600000' }
# A CI log is a file: no colour codes (Cake colours GitHub Actions and Azure logs even when piped) unless FORCE_COLOR is set.
if ($env:CI -cmatch '^[Tt]rue$' -and -not $env:FORCE_COLOR) { $env:NO_COLOR = '1' }
# Colour only on a terminal: Cake decides from TERM alone, so a pipe or a file gets NO_COLOR unless FORCE_COLOR is set.
if ([Console]::IsOutputRedirected -and -not $env:FORCE_COLOR) { $env:NO_COLOR = '1' }
# Cake answers --help itself, before the script runs, with Cake's usage only; Cairn's Help target lists Cairn's
# arguments and targets (and Cake's switches that keep working).
$args = @($args | ForEach-Object { if (@('-h', '--help') -ccontains $_) { '--target=Help' } else { $_ } })
# Cake's parser fails on an empty value with its own words and exit code 255; a usage error is Cairn's exit code 2.
foreach ($argument in $args) {
    if ($argument -cmatch '^--[^=]+=$') {
        [Console]::Error.WriteLine("${argument}: the value after '=' is empty; give one (${argument}VALUE) or leave the argument out. ./build.sh --help lists the arguments.")
        exit 2
    }
}
$pipeline = ''
foreach ($argument in $args) { if ($argument -clike '--pipeline=*') { $pipeline = $argument.Substring('--pipeline='.Length) } }

$state = '.build/bootstrap'
New-Item -ItemType Directory -Force -Path $state | Out-Null
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { "$HOME/.nuget/packages" }
# Bootstrap lines go to stderr: stdout is Cake's, and --format=json promises a clean document there.
$ellipsis = [char]0x2026
function Say([string] $line) { [Console]::Error.WriteLine($line + $ellipsis) }

# One bootstrap at a time (as build.sh's flock): runs started together on a fresh clone would otherwise pack, build and
# compile the script at once. An exclusive handle on a lock file, held until Cake starts, not for the run.
$bootstrapLock = $null
$waitSaid = $false
while ($null -eq $bootstrapLock) {
    try { $bootstrapLock = [System.IO.File]::Open("$state/bootstrap.lock", 'OpenOrCreate', 'ReadWrite', 'None') }
    catch [System.IO.IOException] {
        if (-not $waitSaid) { [Console]::Error.WriteLine("Waiting for another build script to finish its bootstrap$ellipsis"); $waitSaid = $true }
        Start-Sleep -Milliseconds 200
    }
}

function Test-Newer([string] $path, [string] $than) {
    return (Get-Item -LiteralPath $path).LastWriteTimeUtc -gt (Get-Item -LiteralPath $than).LastWriteTimeUtc
}

# Runs a bootstrap command with its words held back; they are shown (on stderr) only if it fails, and its exit code
# ends the script.
# Runs a bootstrap command with its words held back; they are shown (on stderr) only if it fails, and its exit code
# ends the script. Returns its output.
function Invoke-Quietly([scriptblock] $command) {
    # Native stderr under 'Stop' would throw in Windows PowerShell 5.1 before the exit code could be read.
    $ErrorActionPreference = 'Continue'
    $log = & $command 2>&1
    if ($LASTEXITCODE -ne 0) {
        $code = $LASTEXITCODE
        $log | ForEach-Object { [Console]::Error.WriteLine("$_") }
        exit $code
    }
    return $log
}

# True when a file of a build's sources under the given paths (as build.sh's find: *.cs, *.cake, *.*proj, *.props,
# *.targets, global.json and nuget.config, not in obj/ or bin/) is newer than the stamp.
function Test-ChangedSince([string] $stamp, [string[]] $paths) {
    $since = (Get-Item -LiteralPath $stamp).LastWriteTimeUtc
    foreach ($path in $paths) {
        if (-not (Test-Path -LiteralPath $path)) { continue }
        $item = Get-Item -LiteralPath $path
        $files = if ($item.PSIsContainer) {
            # Judged below the folder given, so a clone under a folder named bin is not skipped whole.
            $base = $item.FullName.Length
            Get-ChildItem -Recurse -File -LiteralPath $item.FullName |
                Where-Object { $_.FullName.Substring($base) -notmatch '[\\/](obj|bin)[\\/]' } |
                Where-Object { $_.Name -like '*.cs' -or $_.Name -like '*.cake' -or $_.Name -like '*.*proj' -or $_.Name -like '*.props' -or $_.Name -like '*.targets' -or $_.Name -ceq 'global.json' -or $_.Name -ceq 'nuget.config' }
        }
        else { @($item) }
        if (@($files | Where-Object { $_.LastWriteTimeUtc -gt $since }).Count -gt 0) { return $true }
    }
    return $false
}
$buildFiles = @('global.json', 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'nuget.config')

# Restore the pinned tools only when the manifest changed or Cake is not in the package cache. The restore's own
# chatter (including its hint to move PowerShell to a version that does not run here) is shown only if it fails.
$cakeVersion = (Get-Content -Raw 'dotnet-tools.json' | ConvertFrom-Json).tools.'cake.tool'.version
$toolsStamp = "$state/tools.stamp"
if (-not (Test-Path $toolsStamp) -or (Test-Newer 'dotnet-tools.json' $toolsStamp) -or -not (Test-Path "$packages/cake.tool/$cakeVersion" -PathType Container)) {
    if (-not (Test-Path $toolsStamp)) { Say 'Restoring tools (first run only)' }
    elseif (Test-Newer 'dotnet-tools.json' $toolsStamp) { Say 'Restoring tools (dotnet-tools.json changed)' }
    else { Say "Restoring tools (Cake is missing from $packages)" }
    Invoke-Quietly { dotnet tool restore } | Out-Null
    New-Item -ItemType File -Force -Path $toolsStamp | Out-Null
}

# Cake.Tool ships IL only: every run JIT-compiles some 3,000 methods of Cake, Spectre.Console and NuGet's client (a
# fifth of a no-op of the sample), and compiling build.cake JIT-compiles Roslyn. So Cake's assemblies are compiled ahead
# of time (ReadyToRun, by crossgen2 from NuGet) once per machine, Cake version and platform, into a cache beside NuGet's
# ($env:CAIRN_CACHE_HOME, else %LOCALAPPDATA%\cairn on Windows, else $XDG_CACHE_HOME/cairn or ~/.cache/cairn, as
# build.sh), and runs start Cake from there: the same assemblies, each with native code beside its IL. One bootstrap
# compiles; one that finds it busy, or a machine where it fails (said once, tried again when dotnet-tools.json
# changes), runs Cake as shipped. CAIRN_CAKE_READY_TO_RUN=0 always runs Cake as shipped.
$cakeHome = "$packages/cake.tool/$cakeVersion/tools/net10.0/any"
$onWindows = $env:OS -eq 'Windows_NT'
$cakeOs = if ($onWindows) { 'win' } elseif ((Test-Path variable:IsMacOS) -and $IsMacOS) { 'osx' } else { 'linux' }
$cakeArch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
$cakeCache = if ($env:CAIRN_CACHE_HOME) { $env:CAIRN_CACHE_HOME } elseif ($onWindows) { Join-Path $env:LOCALAPPDATA 'cairn' } elseif ($env:XDG_CACHE_HOME) { "$env:XDG_CACHE_HOME/cairn" } else { "$HOME/.cache/cairn" }
$cakeReady = "$cakeCache/cake-$cakeVersion-$cakeOs-$cakeArch"
$readyFailed = "$state/cake-ready-to-run.failed"
if ($env:CAIRN_CAKE_READY_TO_RUN -cne '0' -and (Test-Path "$cakeHome/Cake.dll" -PathType Leaf) -and -not (Test-Path "$cakeReady/Cake.dll" -PathType Leaf) -and
    (-not (Test-Path $readyFailed) -or (Test-Newer 'dotnet-tools.json' $readyFailed))) {
    # A cache folder that cannot be made or written (a read-only home), or another bootstrap compiling, leaves Cake as
    # shipped, without a word. The lock is build.sh's: an exclusive handle is an flock on Linux and macOS.
    $compileLock = $null
    try {
        New-Item -ItemType Directory -Force -Path $cakeCache | Out-Null
        $compileLock = [System.IO.File]::Open("$cakeCache/compile.lock", 'OpenOrCreate', 'ReadWrite', 'None')
    }
    catch { $compileLock = $null }
    if ($null -ne $compileLock -and -not (Test-Path "$cakeReady/Cake.dll" -PathType Leaf)) {
        Say 'Compiling Cake ahead of time for this machine (once per Cake version, about half a minute)'
        # The project is written under .build/ so that the repository's nuget.config finds crossgen2, but none of its
        # Directory.Build.* files or central package versions apply to it.
        $compile = '.build/cake-ready-to-run'
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $compile, "$cakeReady.next"
        New-Item -ItemType Directory -Force -Path $compile | Out-Null
        [System.IO.File]::WriteAllText((Join-Path $root "$compile/CakeReadyToRun.csproj"), @'
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

'@)
        if (Test-Path $cakeReady) { $compileLog = @("error: $cakeReady is in the way of the compiled Cake: remove it."); $compiled = $false }
        else {
            $ErrorActionPreference = 'Continue'
            $compileLog = @(& dotnet publish "$compile/CakeReadyToRun.csproj" -c Release -o "$compile/published" --nologo -v quiet -clp:ErrorsOnly "-p:CakeFolder=$cakeHome/" -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false -p:ImportDirectoryPackagesProps=false 2>&1)
            $compiled = $LASTEXITCODE -eq 0
            $ErrorActionPreference = 'Stop'
        }
        # Cake as shipped, with the compiled assemblies in place of its own, put at $cakeReady by a rename: a run never
        # starts a half-copied Cake.
        if ($compiled) {
            try {
                Copy-Item -Recurse -LiteralPath $cakeHome -Destination "$cakeReady.next"
                foreach ($assembly in @(Get-ChildItem -File -Path "$compile/published" -Filter '*.dll')) {
                    if (Test-Path -LiteralPath "$cakeReady.next/$($assembly.Name)" -PathType Leaf) { Copy-Item -Force -LiteralPath $assembly.FullName -Destination "$cakeReady.next/$($assembly.Name)" }
                }
                if (Test-Path $cakeReady) { $compileLog += "error: $cakeReady is in the way of the compiled Cake: remove it."; $compiled = $false }
                else { Move-Item -LiteralPath "$cakeReady.next" -Destination $cakeReady }
            }
            catch { $compileLog += "$_"; $compiled = $false }
        }
        if ($compiled) { Remove-Item -Force -ErrorAction SilentlyContinue $readyFailed }
        else {
            # Its error lines, else its last lines: what went wrong, in the tool's words.
            $errorLines = @($compileLog | Where-Object { "$_" -match 'error' } | Select-Object -First 3)
            if ($errorLines.Count -eq 0) { $errorLines = @($compileLog | Select-Object -Last 3) }
            $errorLines | ForEach-Object { [Console]::Error.WriteLine("$_") }
            [Console]::Error.WriteLine('Could not compile Cake ahead of time (above); Cake runs as shipped until dotnet-tools.json changes. CAIRN_CAKE_READY_TO_RUN=0 stops the attempts.')
            New-Item -ItemType File -Force -Path $readyFailed | Out-Null
        }
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $compile, "$cakeReady.next"
    }
    if ($null -ne $compileLock) { $compileLock.Dispose() }
}
if ($env:CAIRN_CAKE_READY_TO_RUN -cne '0' -and (Test-Path "$cakeReady/Cake.dll" -PathType Leaf)) { $cakeHome = $cakeReady }

$extra = @()
# Cairn's own repository runs its sample on the engine of its working tree, taken the way every repository takes a
# released one: pack Cairn.Cake (the engine and Cairn.cake) into .build/packages when its sources changed, and let
# build/build.cake's #load find it there and nowhere else.
if (Test-Path 'tasks/Cairn.Cake/Cairn.Cake.csproj' -PathType Leaf) {
    $env:CAKE_NUGET_SOURCE = "$root/.build/packages"
    $cairnVersion = [regex]::Match((Get-Content -Raw 'Directory.Build.props'), '<CairnVersion>(.*)</CairnVersion>').Groups[1].Value
    $packStamp = "$state/pack.stamp"
    if (-not (Test-Path ".build/packages/Cairn.Cake.$cairnVersion.nupkg") -or -not (Test-Path $packStamp) -or
        (Test-ChangedSince $packStamp (@('tasks/Cairn.Tasks', 'tasks/Cairn.Service', 'tasks/Cairn.Worker', 'tasks/Cairn.Cake') + $buildFiles))) {
        if (Test-Path $packStamp) { Say 'Packing Cairn.Cake (sources changed)' } else { Say 'Packing Cairn.Cake (first run)' }
        New-Item -ItemType File -Force -Path "$packStamp.next" | Out-Null
        Invoke-Quietly { dotnet pack tasks/Cairn.Cake/Cairn.Cake.csproj -c Release -o .build/packages --nologo -v quiet -clp:ErrorsOnly } | Out-Null
        # Cake installs a package version once: drop its copy so that the next #load installs the one just packed.
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue ".build/cake/tools/Cairn.Cake.$cairnVersion", ".build/cake/tools/cairn.cake.$cairnVersion"
        Move-Item -Force "$packStamp.next" $packStamp
        # The script cache does not see a changed #r assembly; recompile the script once after a pack.
        $extra += '--invalidate-script-cache'
    }
}

# The selected pipeline's folder: pipelines/NAME for --pipeline=NAME, the folder of a pipeline file given by path, or
# the only folder under pipelines/ that holds a pipeline.yaml. When none can be told, or NAME is not a name, nothing is
# built here: Cairn then says what is wrong and lists the pipelines.
$namePattern = '^[A-Za-z][A-Za-z0-9_]*$'
$folder = ''
if (-not $pipeline) {
    $found = @(Get-ChildItem -Path 'pipelines/*/pipeline.yaml' -File -ErrorAction SilentlyContinue)
    if ($found.Count -eq 1 -and $found[0].Directory.Name -cmatch $namePattern) { $folder = 'pipelines/' + $found[0].Directory.Name }
}
elseif ($pipeline -match '[\\/]' -or $pipeline -like '*.yaml' -or $pipeline -like '*.yml' -or @('.', '..') -ccontains $pipeline) {
    $path = if ([System.IO.Path]::IsPathRooted($pipeline)) { $pipeline } else { "$env:CAIRN_CALLER_DIRECTORY/$pipeline" }
    if (Test-Path -LiteralPath $path -PathType Container) { $folder = $path }
    elseif (Test-Path -LiteralPath $path -PathType Leaf) { $folder = Split-Path -Parent $path }
}
elseif ($pipeline -cmatch $namePattern -and (Test-Path "pipelines/$pipeline/pipeline.yaml" -PathType Leaf)) {
    $folder = "pipelines/$pipeline"
}

# Its stage project: the project 'assembly:' names, else the one project in its folder. It is built (Release) only when
# a source of it, of a project it references, or a build file of the repository is newer than its last good build.
$project = ''
if ($folder -and (Test-Path -LiteralPath "$folder/pipeline.yaml" -PathType Leaf)) {
    $assembly = @(Get-Content -LiteralPath "$folder/pipeline.yaml" | ForEach-Object { if ($_ -cmatch '^assembly:\s*["'']?([^"''#]*)') { $Matches[1].TrimEnd() } }) | Select-Object -First 1
    if ($assembly -and $assembly -like '*.*proj') {
        $project = if ([System.IO.Path]::IsPathRooted($assembly)) { $assembly } else { "$folder/$assembly" }
    }
    else {
        $projects = @(Get-ChildItem -File -Path "$folder/*.*proj" -ErrorAction SilentlyContinue)
        if ($projects.Count -eq 1) { $project = "$folder/" + $projects[0].Name }
    }
}
if ($project -and (Test-Path -LiteralPath $project -PathType Leaf)) {
    $projectFolder = Split-Path -Parent $project
    $references = @(Get-Content -LiteralPath $project | ForEach-Object { if ($_ -cmatch '<ProjectReference[^>]*Include="([^"]*)"') { "$projectFolder/" + (Split-Path -Parent ($Matches[1] -replace '\\', '/')) } })
    $relative = if ($project.StartsWith("$root/")) { $project.Substring($root.Length + 1) } else { $project }
    $stamp = "$state/build-" + ($relative -creplace '[^A-Za-z0-9._-]', '_') + '.stamp'
    $built = if (Test-Path -LiteralPath $stamp) { (Get-Content -Raw -LiteralPath $stamp).Trim() } else { '' }
    if (-not $built -or -not (Test-Path -LiteralPath $built -PathType Leaf) -or (Test-ChangedSince $stamp (@($projectFolder, $folder) + $references + $buildFiles))) {
        if ($built -and (Test-Path -LiteralPath $built -PathType Leaf)) { Say "Building $project (sources changed)" } else { Say "Building $project (first run)" }
        New-Item -ItemType File -Force -Path "$stamp.next" | Out-Null
        # Its words (a "Build succeeded" summary that -v quiet still prints) are shown only if it fails, then on stderr,
        # with what to do: a stage project that does not build is bad input (exit 2). When the build fails before its
        # targets run (NETSDK1013 for a project without a target framework), MSBuild then crashes writing the result
        # asked for (MSB1025 and a stack trace); otherwise it writes that result (a JSON document): its words stop
        # before either.
        $ErrorActionPreference = 'Continue'
        $log = @(& dotnet build $project -c Release --nologo -v quiet -clp:ErrorsOnly -getProperty:TargetPath -getTargetResult:Build 2>&1)
        $buildCode = $LASTEXITCODE
        $ErrorActionPreference = 'Stop'
        if ($buildCode -ne 0) {
            $shown = @()
            foreach ($line in $log) { if ("$line" -match 'MSB1025' -or "$line" -ceq '{') { break }; $shown += "$line" }
            if ($shown.Count -eq 0) { $shown = @($log | ForEach-Object { "$_" }) }
            $shown | ForEach-Object { [Console]::Error.WriteLine($_) }
            $outside = ''
            if ([System.IO.Path]::IsPathRooted($project) -and -not $project.StartsWith("$root/")) {
                $outside = " It is outside this repository ($root), whose Directory.Build.props gives the projects in it their target framework and Cairn's packages: keep the pipeline under pipelines/, or make its project build on its own (dotnet build $project)."
            }
            [Console]::Error.WriteLine("$project does not build (its errors are above): fix them, then run the build script again.$outside")
            exit 2
        }
        $targetPath = ((@($log) -join "`n") | ConvertFrom-Json).Properties.TargetPath
        Set-Content -LiteralPath "$stamp.next" -Value $targetPath
        Move-Item -Force "$stamp.next" $stamp
    }
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
# Cake analyses the script twice: first to install the packages of its #module directives (Cake's bootstrap), then to
# run it. Each analysis installs every #load nuget: package anew with Cake's in-process NuGet client, and the first one
# resolves cake.config's relative paths from the folder Cake starts in (the repository), not from build/: it unpacked
# Cairn.Cake into ../.build/cake/tools, outside the repository. No script here has a #module directive, so that pass
# (about 0.3 s of CPU time for --target=Help here) is skipped unless a script in build/ gets one.
$cakeOptions = @()
if (-not (Select-String -Path 'build/*.cake' -Pattern '^\s*#module' -Quiet -ErrorAction SilentlyContinue)) { $cakeOptions += '--skip-bootstrap' }

if ($scriptHost) {
    $scriptTime = (Get-Item 'build/build.cake').LastWriteTimeUtc
    $cached = @(Get-ChildItem -File -Path '.build/cake-cache' -Filter "build.$scriptHost.*.dll" -ErrorAction SilentlyContinue |
            Where-Object { $_.LastWriteTimeUtc -gt $scriptTime })
    if ($recompile -gt 0 -or $cached.Count -eq 0) {
        Say 'Compiling build/build.cake'
        # Compiled here, under the bootstrap lock, by a run of the Help target whose output is dropped; the run itself
        # then finds it cached. A script that does not compile is compiled again by the run, which shows the error.
        $hostFlag = @($args | Where-Object { @('--tree', '--showtree', '--description', '--descriptions', '--showdescription', '--showdescriptions', '--dryrun', '--noop', '--whatif') -ccontains $_ } | Select-Object -Last 1)
        $compileDll = "$cakeHome/Cake.dll"
        if (Test-Path $compileDll -PathType Leaf) { & dotnet $compileDll build/build.cake @cakeOptions @extra @hostFlag --target=Help *> $null }
        else { & dotnet cake build/build.cake @cakeOptions @extra @hostFlag --target=Help *> $null }
        $extra = @()
    }
}
$bootstrapLock.Dispose()

# With --format=json stdout carries the document alone, whatever --verbosity: Cake prints its own lines (at verbose
# and diagnostic, "Analyzing build script...") before the script runs, so Cake's stdout goes to stderr and the document
# to a file (CAIRN_DOCUMENT_FILE), copied to stdout once Cake has ended. build.sh hands Cake the real stdout as file
# descriptor 3 instead, which a PowerShell child cannot be given.
$document = $null
for ($i = 0; $i -lt $args.Count; $i++) {
    if ($args[$i] -ceq '--format=json' -or ($args[$i] -ceq 'json' -and $i -gt 0 -and $args[$i - 1] -ceq '--format')) {
        $document = Join-Path (Get-Location).ProviderPath "$state/document-$PID.json"
        Remove-Item -LiteralPath $document -Force -ErrorAction SilentlyContinue
        $env:CAIRN_DOCUMENT_FILE = $document
        break
    }
}

# Start Cake from its entry assembly (compiled ahead of time, or in the package cache): `dotnet cake` first boots the
# SDK's command line just to find the local tool, about 0.3 s of CPU on every run. Same tool, same version, same runtime.
$cakeDll = "$cakeHome/Cake.dll"
$cake = @(if (Test-Path $cakeDll -PathType Leaf) { $cakeDll } else { 'cake' })
if ($null -eq $document) {
    & dotnet @cake build/build.cake @cakeOptions @extra @args
    exit $LASTEXITCODE
}

try {
    & dotnet @cake build/build.cake @cakeOptions @extra @args | ForEach-Object { [Console]::Error.WriteLine($_) }
    $code = $LASTEXITCODE
    if (Test-Path -LiteralPath $document -PathType Leaf) { [Console]::Out.Write([System.IO.File]::ReadAllText($document)) }
}
finally {
    Remove-Item -LiteralPath $document -Force -ErrorAction SilentlyContinue
}
exit $code
