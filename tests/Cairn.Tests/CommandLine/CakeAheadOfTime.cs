using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Where the bootstrappers keep Cake compiled ahead of time (ReadyToRun) and where Cake is as shipped, named as
/// build.sh and build.ps1 name them, and how to tell an assembly that carries native code beside its IL.
/// </summary>
internal static class CakeAheadOfTime
{
    /// <summary>The Cake version the tool manifest pins.</summary>
    public static string CakeVersion { get; } =
        JsonDocument.Parse(File.ReadAllText(Repository.PathOf("dotnet-tools.json"))).RootElement.GetProperty("tools").GetProperty("cake.tool").GetProperty("version").GetString()!;

    /// <summary>Cake's folder in the NuGet package cache: its assemblies as shipped.</summary>
    public static string Shipped =>
        Path.Combine(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages : Path.Combine(Home, ".nuget", "packages"),
            "cake.tool",
            CakeVersion,
            "tools",
            "net10.0",
            "any");

    /// <summary>The machine-wide cache a bootstrapper started with these variables uses (CAIRN_CACHE_HOME, else XDG_CACHE_HOME/cairn, else ~/.cache/cairn).</summary>
    public static string CacheHome =>
        Environment.GetEnvironmentVariable("CAIRN_CACHE_HOME") is { Length: > 0 } cairn ? cairn
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "cairn")
        : Path.Combine(Home, ".cache", "cairn");

    /// <summary>The folder of Cake compiled ahead of time for this platform, under a cache home.</summary>
    public static string FolderUnder(string cacheHome) => Path.Combine(cacheHome, $"cake-{CakeVersion}-{Platform}");

    /// <summary>Whether the assembly carries ReadyToRun code (a managed native header), not IL alone.</summary>
    public static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string Home => Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string Platform =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
}
