using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cairn.Engine.Configuration;

namespace Cairn.Engine.Notifications;

/// <summary>
/// POSTs each event as JSON to a URL. A 2xx answer delivers it; no answer, a connection error, 408, 429 or 5xx is
/// tried again within the event's budget; any other answer is reported at once. Warnings name only the URL's scheme,
/// host and port: the path of a webhook URL is often its secret.
/// </summary>
internal sealed class WebhookNotifier : LifecycleNotifier, IDisposable
{
    private readonly Uri _url;
    private readonly HttpClient _client;
    private readonly DeliveryPolicy _policy;
    private readonly string _pipelineFile;

    public WebhookNotifier(NotifierDefinition definition, NotificationQueue queue, Uri url, string toolVersion, TimeProvider time, string pipelineFile)
        : base(definition, queue)
    {
        _url = url;
        _pipelineFile = pipelineFile;
        _policy = new DeliveryPolicy(definition.Attempts, definition.Budget, time);
        // Each attempt has its own deadline (a cancellation token); the client's own timeout would be one for all.
        _client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = definition.Budget, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Cairn", toolVersion.Split('+')[0]));
    }

    /// <summary>The URL without its path and query, fit to print.</summary>
    public string Where => $"{_url.Scheme}://{_url.Authority}/…";

    public void Dispose() => _client.Dispose();

    protected override void Deliver(NotificationEvent notification)
    {
        var body = JsonSerializer.Serialize(notification, NotificationJsonContext.Default.NotificationEvent);
        var failure = _policy.Deliver(timeout => Post(notification.Event, body, timeout));
        if (failure is not null)
        {
            throw new NotificationFailedException(
                $"{notification.Event} was not delivered to the webhook {Where} ({Definition.Source}): {failure}. The run is not affected; check that the receiver is up and the URL under notify: in {_pipelineFile}.");
        }
    }

    private AttemptOutcome Post(string eventName, string body, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Cairn-Event", eventName);
        try
        {
            using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            var answer = $"the receiver answered {status} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode)
            {
                return AttemptOutcome.Success;
            }

            return status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                ? AttemptOutcome.Transient(answer)
                : AttemptOutcome.Permanent(answer);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return AttemptOutcome.Transient(string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.0#} s"));
        }
        catch (HttpRequestException e)
        {
            return AttemptOutcome.Transient(e.InnerException?.Message is { Length: > 0 } inner ? inner : e.Message);
        }
    }
}
