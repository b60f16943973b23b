namespace Cairn.Tests.Notifications;

/// <summary>One HTTP request as the loopback receiver read it.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
