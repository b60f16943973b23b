using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cairn.Tests.Notifications;

/// <summary>
/// A real HTTP/1.1 receiver on 127.0.0.1 and a port the system picks: records every request and answers each with the
/// next planned status (200 once the plan runs out), or never answers when told to hang (until disposed, or 30 s).
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private static readonly TimeSpan LongestHang = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<int> _plan;
    private readonly bool _hang;
    private readonly ManualResetEventSlim _stopped = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Thread _loop;

    public LoopbackReceiver(IEnumerable<int>? answers = null, bool hang = false)
    {
        _plan = new Queue<int>(answers ?? []);
        _hang = hang;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks/cairn-secret-token");
        _loop = new Thread(Serve) { IsBackground = true, Name = "loopback receiver" };
        _loop.Start();
    }

    public Uri Url { get; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A URL on a loopback port nobody listens on: a listener took the port and let it go.</summary>
    public static Uri DeadUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/hooks/nobody");
    }

    public void Dispose()
    {
        _stopped.Set();
        _listener.Stop();
        _loop.Join(TimeSpan.FromSeconds(5));
        _stopped.Dispose();
    }

    private void Serve()
    {
        while (!_stopped.IsSet)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    Answer(client);
                }
                catch (IOException)
                {
                    // The notifier gave up and closed the connection first.
                }
            }
        }
    }

    private void Answer(TcpClient client)
    {
        var stream = client.GetStream();
        var head = ReadHead(stream);
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var body = new byte[length];
        stream.ReadExactly(body);
        lock (_requests)
        {
            _requests.Add(new ReceivedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body)));
        }

        if (_hang)
        {
            _stopped.Wait(LongestHang);
            return;
        }

        int status;
        lock (_plan)
        {
            status = _plan.Count > 0 ? _plan.Dequeue() : 200;
        }

        var response = $"HTTP/1.1 {status} {(status < 300 ? "OK" : "Planned")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        stream.Write(Encoding.ASCII.GetBytes(response));
    }

    private static string ReadHead(NetworkStream stream)
    {
        var head = new List<byte>();
        const int Limit = 64 * 1024;
        while (head.Count < Limit)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new IOException("the connection closed before the request's headers ended");
            }

            head.Add((byte)b);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                return Encoding.ASCII.GetString(head.ToArray(), 0, head.Count - 4);
            }
        }

        throw new IOException("the request's headers are longer than 64 KiB");
    }
}
