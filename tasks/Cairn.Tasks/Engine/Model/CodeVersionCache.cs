using System.Runtime.CompilerServices;
using Cairn.Hashing;

namespace Cairn.Engine.Model;

/// <summary>
/// The code versions already worked out on this machine (<see cref="CodeVersion"/>): walking a stage's IL takes a few
/// milliseconds per stage, most of it the first time in a process, and every run, a no-op included, needs every
/// stage's version. A version depends only on the bytes of the stage's assembly and on how this engine walks them, so
/// it is kept under a key made of the assembly file's content hash, the loaded module's version id (so a file rebuilt
/// after this process loaded it is not taken for what was loaded), the engine's module version id and the type's name:
/// one small file per stage in <c>code-versions/</c> of the machine's Cairn cache (<c>CAIRN_CACHE_HOME</c>, else
/// <c>%LOCALAPPDATA%\cairn</c> on Windows, else <c>$XDG_CACHE_HOME/cairn</c> or <c>~/.cache/cairn</c>: where the
/// bootstrappers keep Cake compiled ahead of time). A rebuilt assembly has other bytes, so another key. The cache is an
/// optimization only: one that cannot be read or written (a read-only home) is passed over and the walk is done.
/// </summary>
internal static class CodeVersionCache
{
    private const string FolderName = "code-versions";

    // A version is 32 hex digits (an XXH3-128 hash); anything else in a file is not one this engine wrote.
    private const int VersionLength = 32;

    // Per loaded assembly, not per path: another load context may load other bytes from the same path.
    private static readonly ConditionalWeakTable<System.Reflection.Assembly, StrongBox<string?>> AssemblyHashes = [];

    private static readonly string EngineModule = typeof(CodeVersionCache).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>The folder of the cache for these variables, or null when none can be named.</summary>
    /// <param name="variable">Reads an environment variable.</param>
    public static string? Folder(Func<string, string?> variable)
    {
        var home = variable("CAIRN_CACHE_HOME") is { Length: > 0 } cairn ? cairn
            : OperatingSystem.IsWindows() ? (variable("LOCALAPPDATA") is { Length: > 0 } local ? Path.Combine(local, "cairn") : null)
            : variable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "cairn")
            : variable("HOME") is { Length: > 0 } user ? Path.Combine(user, ".cache", "cairn")
            : null;
        return home is null ? null : Path.Combine(home, FolderName);
    }

    /// <summary>The stage's version from the cache, or worked out by <paramref name="compute"/> and kept for next time.</summary>
    public static string Of(Type stageType, Func<Type, string> compute) => Of(stageType, compute, Folder(Environment.GetEnvironmentVariable));

    /// <param name="stageType">The stage task's type.</param>
    /// <param name="compute">Works the version out from the IL.</param>
    /// <param name="folder">The cache folder; null for none.</param>
    internal static string Of(Type stageType, Func<Type, string> compute, string? folder)
    {
        if (folder is null || Key(stageType) is not { } key)
        {
            return compute(stageType);
        }

        var path = Path.Combine(folder, key);
        try
        {
            var kept = File.ReadAllText(path);
            if (kept.Length == VersionLength && kept.All(char.IsAsciiHexDigitLower))
            {
                return kept;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not cached yet (or not readable): worked out below.
        }

        var version = compute(stageType);
        try
        {
            Directory.CreateDirectory(folder);
            var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, version);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs the next run the walk again, nothing else.
        }

        return version;
    }

    /// <summary>The file name the stage's version is kept under, or null for an assembly with no file to hash.</summary>
    private static string? Key(Type stageType)
    {
        var location = stageType.Assembly.Location;
        if (location.Length == 0 || stageType.FullName is not { } name)
        {
            return null;
        }

        var assembly = AssemblyHashes.GetValue(stageType.Assembly, loaded => new StrongBox<string?>(HashOf(location))).Value;
        return assembly is null ? null : ContentHasher.HashString($"{assembly}\n{stageType.Module.ModuleVersionId:N}\n{EngineModule}\n{name}").ToString();
    }

    private static string? HashOf(string location)
    {
        try
        {
            return ContentHasher.HashFile(location).ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
