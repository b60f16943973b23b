using System.Text.Json;
using System.Threading.Channels;

namespace Cairn.Service.Api;

/// <summary>
/// Fans the service's events out to every open event stream. A slow reader loses its oldest events rather than
/// slowing a run down: each subscriber has a bounded buffer.
/// </summary>
internal sealed class EventHub
{
    private const int Buffer = 4096;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();
    private readonly List<Channel<ServiceEvent>> _subscribers = [];

    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Publish(string type, object data)
    {
        var message = new ServiceEvent(type, JsonSerializer.Serialize(data, Json));
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(message);
            }
        }
    }

    /// <summary>A stream of the events from now on; dispose the subscription to end it.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ServiceEvent>(new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    private void Remove(Channel<ServiceEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One reader's events.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly EventHub _hub;
        private readonly Channel<ServiceEvent> _channel;

        public Subscription(EventHub hub, Channel<ServiceEvent> channel)
        {
            _hub = hub;
            _channel = channel;
        }

        public ChannelReader<ServiceEvent> Reader => _channel.Reader;

        public void Dispose() => _hub.Remove(_channel);
    }
}
