using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Cairn.Engine.Observing;

/// <summary>
/// Finds SQLite's native library (e_sqlite3) in <c>runtimes/&lt;rid&gt;/native/</c> beside Cairn.Tasks.dll (a build
/// output) or at the root of the package that holds it (<c>lib/net10.0/Cairn.Tasks.dll</c> beside
/// <c>runtimes/</c>, as the Cairn.Cake package a script loads is laid out). A process built against Cairn (tests, an
/// app) finds it through its deps.json; a host that loads Cairn.Tasks.dll by path has no such file (Cake's <c>#r</c>),
/// so the runtime's own probing looks only beside the assembly and fails.
/// </summary>
internal static class SqliteNativeLibrary
{
    private const string LibraryName = "e_sqlite3";
    private static int _registered;

    /// <summary>Adds the fallback once per process; the runtime asks it only when its own probing found nothing.</summary>
    public static void EnsureResolvable()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        var context = AssemblyLoadContext.GetLoadContext(typeof(SqliteNativeLibrary).Assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly requesting, string name)
    {
        if (!string.Equals(name, LibraryName, StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>The runtime's own RID first (e.g. linux-x64, linux-musl-x64), then the portable one built from the OS and architecture.</summary>
    internal static IEnumerable<string> Candidates()
    {
        var directory = Path.GetDirectoryName(typeof(SqliteNativeLibrary).Assembly.Location);
        if (string.IsNullOrEmpty(directory))
        {
            yield break;
        }

        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var (os, file) = OperatingSystem.IsWindows() ? ("win", LibraryName + ".dll")
            : OperatingSystem.IsMacOS() ? ("osx", "lib" + LibraryName + ".dylib")
            : ("linux", "lib" + LibraryName + ".so");
        var package = Path.GetDirectoryName(Path.GetDirectoryName(directory));
        foreach (var root in new[] { directory, package }.OfType<string>())
        {
            foreach (var rid in new[] { RuntimeInformation.RuntimeIdentifier, $"{os}-{architecture}" }.Distinct(StringComparer.Ordinal))
            {
                yield return Path.Combine(root, "runtimes", rid, "native", file);
            }
        }
    }
}
