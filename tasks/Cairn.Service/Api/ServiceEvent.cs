namespace Cairn.Service.Api;

/// <summary>One server-sent event: its type (<c>run</c>, <c>stage</c>, <c>cell</c>, <c>schedule</c>, <c>arrival</c>) and its JSON data.</summary>
internal sealed record ServiceEvent(string Type, string Json);
