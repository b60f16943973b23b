using System.Net.Sockets;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, item 8, beyond the FIFO (<see cref="InjectedFaultTests"/>): only regular files are inputs. A socket, or a
/// link to a device (<c>/dev/zero</c>, which a hash would read for ever), matching an input pattern fails its cell at
/// once naming the file and what it is; nothing is recorded for it.
/// </summary>
public sealed class SpecialFileInputTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_socket_named_like_a_csv_file_fails_its_cell_naming_it()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(h.Raw, "date=2013-05-02", "s.csv")));

        var run = Ended(h);

        run.Failure!.Message.ShouldContain("Stage 'Upper' failed for date=2013-05-02: cannot read $raw/date=2013-05-02/s.csv: it is a socket, not a regular file; only regular files are inputs.");
        File.Exists(h.Checkpoint("Upper", "2013-05-02")).ShouldBeFalse();
    }

    [Fact]
    public void A_link_to_a_device_named_like_a_csv_file_fails_its_cell_naming_it_and_is_never_read()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        File.CreateSymbolicLink(Path.Combine(h.Raw, "date=2013-05-02", "zero.csv"), "/dev/zero");

        var run = Ended(h);

        run.Failure!.Message.ShouldContain("Stage 'Upper' failed for date=2013-05-02: cannot read $raw/date=2013-05-02/zero.csv: it is a character device, not a regular file; only regular files are inputs.");
        File.Exists(h.Checkpoint("Upper", "2013-05-02")).ShouldBeFalse();
    }

    /// <summary>Runs the harness on a thread of its own; a run that has not ended within a minute hangs and fails the test.</summary>
    private static RunOutcome Ended(EngineHarness h)
    {
        var task = Task.Factory.StartNew(() => h.Run(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        task.Wait(Hang).ShouldBeTrue($"the run did not end within {Hang.TotalSeconds} s: it hangs");
        return task.Result;
    }
}
