using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cairn.Tests.Support;

/// <summary>
/// A real nginx serving a WebDAV store (<c>dav_methods PUT</c>) on 127.0.0.1, started by the test in a folder of its
/// own (config, pid file, error log, temp files, the store) and stopped by its process id on dispose.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    public const string Missing = "needs nginx with the WebDAV module for the shared cache: apt-get install nginx-extras";

    private static readonly string[] Places = ["/usr/sbin/nginx", "/usr/bin/nginx"];

    private readonly string _folder;
    private Process? _process;

    private NginxServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    /// <summary>The nginx binary, or null when it is not installed.</summary>
    public static string? Binary => Places.FirstOrDefault(File.Exists);

    public int Port { get; }

    /// <summary>Where the store's files are on disk: a URL path <c>/cairn/ac/KEY</c> is <c>Store/cairn/ac/KEY</c>.</summary>
    public string Store => Path.Combine(_folder, "store");

    /// <summary>The cache address the tests give Cairn.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/cairn");

    /// <summary>Starts nginx in <paramref name="folder"/> on a free port; <paramref name="location"/> is extra config for the store's location (e.g. <c>return 500;</c>).</summary>
    public static NginxServer Start(string folder, string location = "")
    {
        Directory.CreateDirectory(Path.Combine(folder, "store"));
        Directory.CreateDirectory(Path.Combine(folder, "temp"));
        var server = new NginxServer(folder, FreePort());
        // As root, nginx's workers would otherwise become nobody, who cannot write the test's folders.
        var user = Environment.UserName == "root" ? "user root;" : string.Empty;
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            {{user}}
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/temp/body;
              proxy_temp_path {{folder}}/temp/proxy;
              fastcgi_temp_path {{folder}}/temp/fastcgi;
              uwsgi_temp_path {{folder}}/temp/uwsgi;
              scgi_temp_path {{folder}}/temp/scgi;
              server {
                listen 127.0.0.1:{{server.Port}};
                root {{folder}}/store;
                client_max_body_size 0;
                location / {
                  dav_methods PUT;
                  create_full_put_path on;
                  {{location}}
                }
              }
            }
            """);
        server.Run();
        return server;
    }

    /// <summary>Stops nginx (its master process and workers); the store stays.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>The store's file for a URL path below the cache's address (<c>cas/SHA</c>, <c>ac/KEY</c>).</summary>
    public string FileOf(string path) => Path.Combine(Store, "cairn", path);

    public void Dispose() => Stop();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Run()
    {
        var start = new ProcessStartInfo(Binary!) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", _folder, "-c", Path.Combine(_folder, "nginx.conf"), "-e", Path.Combine(_folder, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                var log = File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : string.Empty;
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode} at start: {_process.StandardError.ReadToEnd()} {log}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        Stop();
        throw new TimeoutException($"nginx did not listen on 127.0.0.1:{Port} within 20 s; see {_folder}/error.log");
    }
}
