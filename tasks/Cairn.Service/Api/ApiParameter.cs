namespace Cairn.Service.Api;

/// <summary>One parameter of an endpoint: its name, where it goes (path or query), and what it means.</summary>
internal sealed record ApiParameter(string Name, string In, string Meaning, bool Required = false);
