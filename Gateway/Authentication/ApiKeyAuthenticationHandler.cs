using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Grpc.Core;

namespace Gateway.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against <see cref="ApiKeyStore"/>; the principal carries the
/// key's digest, from which <see cref="RequestCaller"/> finds its caller. HTTP and gRPC carry it
/// the same way (gRPC metadata is HTTP/2 headers). A refused HTTP call gets 401 with the OpenAI envelope, a refused
/// gRPC call UNAUTHENTICATED.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private const string MissingMessage =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
        "(i.e. Authorization: Bearer YOUR_KEY). The development key is printed by the AppHost at start.";
    private const string InvalidMessage = "Incorrect API key provided. Use a key configured in Gateway:Keys, Gateway:ApiKeyHashes or Gateway:ApiKeys.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header[BearerPrefix.Length..].Trim() is not { Length: > 0 } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header is not 'Bearer <key>'."));
        }
        if (keys.Verify(key) is not { } accepted)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not accepted."));
        }
        var identity = new ClaimsIdentity([new Claim(ApiKeyDefaults.KeyHashClaim, accepted.Hash)], ApiKeyDefaults.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyDefaults.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var missing = result.None;
        GatewayLog.ApiKeyRejected(Logger, Request.Path, missing ? "missing" : "invalid");
        if (GrpcErrorResponse.IsGrpc(Request))
        {
            await GrpcErrorResponse.WriteAsync(Response, StatusCode.Unauthenticated, missing ? MissingMessage : InvalidMessage);
            return;
        }
        Response.Headers.WWWAuthenticate = "Bearer realm=\"Pipeline\"";
        var error = new OpenAIError(StatusCodes.Status401Unauthorized, missing ? MissingMessage : InvalidMessage, "invalid_request_error",
            Code: missing ? null : "invalid_api_key");
        await error.WriteAsync(Response);
    }
}
