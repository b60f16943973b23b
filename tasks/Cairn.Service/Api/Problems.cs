using Microsoft.AspNetCore.Http;

namespace Cairn.Service.Api;

/// <summary>Problem-details answers (RFC 9457): a title, the reason in words a person can act on, never a stack trace.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) => Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The request cannot be used");

    public static IResult NotFound(string detail) => Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail, string runId) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "The run token was used before", extensions: new Dictionary<string, object?> { ["runId"] = runId });
}
