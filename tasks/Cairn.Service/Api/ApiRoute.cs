namespace Cairn.Service.Api;

/// <summary>
/// One endpoint of the service as people read it: method, path, what it does, its parameters, its request body and
/// its answers. The OpenAPI document (<c>/openapi.json</c>) and the README's API table are made from
/// <see cref="ApiRoutes.All"/>, and a test checks the endpoints the service maps against the same list.
/// </summary>
internal sealed record ApiRoute(string Method, string Path, string Summary, IReadOnlyList<ApiParameter> Parameters, IReadOnlyDictionary<int, string> Responses)
{
    /// <summary>The request body's JSON fields and their meaning, for the one endpoint that takes a body.</summary>
    public IReadOnlyList<ApiParameter> Body { get; init; } = [];

    /// <summary>The media type of a successful answer.</summary>
    public string Produces { get; init; } = "application/json";
}
