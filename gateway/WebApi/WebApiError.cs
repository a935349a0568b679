using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>Errors as Teleport's web API writes them: <c>{"error":{"message":"..."}}</c> with a status code for the kind.</summary>
internal static class WebApiError
{
    public static IResult Of(int status, string message) =>
        Results.Json(new { error = new { message } }, statusCode: status);

    public static IResult Of(AuthException ex) => Of(StatusFor(ex.Kind), ex.Message);

    public static int StatusFor(AuthErrorKind kind) => kind switch
    {
        AuthErrorKind.NotFound => StatusCodes.Status404NotFound,
        AuthErrorKind.AlreadyExists => StatusCodes.Status409Conflict,
        AuthErrorKind.AccessDenied => StatusCodes.Status403Forbidden,
        AuthErrorKind.LimitExceeded => StatusCodes.Status429TooManyRequests,
        AuthErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// Runs a handler and turns the domain's expected failures, and an auth server lost mid-call, into JSON errors;
    /// anything else is a 500.
    /// </summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (AuthException ex)
        {
            return Of(ex);
        }
        catch (WebSessions.WebAuthException ex)
        {
            return Of(ex.Status, ex.Message);
        }
        catch (BadRequestException ex)
        {
            return Of(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (Exception ex) when (AuthPoolUnreachable.Describe(ex) is { } unreachable)
        {
            // The auth server handling the call died, hung or left: the user retries, the pool has moved on.
            return Of(StatusCodes.Status503ServiceUnavailable, unreachable);
        }
    }
}

/// <summary>A request body the gateway cannot use; answered with 400 and this message.</summary>
internal sealed class BadRequestException(string message) : Exception(message);
