using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cairn.Service.Api;

/// <summary>
/// Off loopback, every request needs the bearer token from <c>CAIRN_SERVICE_TOKEN</c>: an <c>Authorization: Bearer</c>
/// header, or for a browser the cookie that <c>/?token=…</c> sets. Anything else gets 401.
/// </summary>
internal sealed class BearerToken
{
    private const string Cookie = "cairn_token";
    private readonly byte[] _token;

    public BearerToken(string token) => _token = Encoding.UTF8.GetBytes(token);

    public async Task Check(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path == "/" && context.Request.Query["token"] is { Count: 1 } given && Matches(given[0]))
        {
            context.Response.Cookies.Append(Cookie, given[0]!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });
            context.Response.Redirect("/");
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : context.Request.Cookies[Cookie];
        if (Matches(presented))
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            detail: "The service listens beyond this machine, so every request needs 'Authorization: Bearer <token>', the token in CAIRN_SERVICE_TOKEN where the service runs (a browser: open /?token=<token> once).",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "A bearer token is needed").ExecuteAsync(context);
    }

    private bool Matches(string? presented) =>
        presented is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);
}
