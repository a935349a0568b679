using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Joining;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// <c>POST /v1/webapi/host/credentials</c>: a host joins through the proxy when it cannot reach the auth service.
/// Body and answer are the auth API's RegisterUsingTokenRequest and Certificates messages as protobuf JSON; the
/// token grain spends the token before the issuer signs, exactly as the gRPC RegisterUsingToken does.
/// </summary>
internal static class HostCredentialsEndpoint
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/webapi/host/credentials", (HttpContext context, IGrainFactory grains) =>
            WebApiError.Guard(() => Register(context, grains)));

    private static async Task<IResult> Register(HttpContext context, IGrainFactory grains)
    {
        using var reader = new StreamReader(context.Request.Body);
        RegisterUsingTokenRequest request;
        try
        {
            request = Parser.Parse<RegisterUsingTokenRequest>(await reader.ReadToEndAsync(context.RequestAborted));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new BadRequestException($"the body is not a RegisterUsingTokenRequest in protobuf JSON: {ex.Message}");
        }

        if (request.Token.Length == 0 || request.HostId.Length == 0 || request.Role.Length == 0)
        {
            throw new BadRequestException("token, hostId and role are required");
        }

        var caller = new Caller { Name = request.HostId, Roles = [request.Role], Address = ClientAddress.Of(context) };
        var certificates = await grains.RegisterAsync(request, caller);
        return Results.Text(JsonFormatter.Default.Format(certificates), "application/json");
    }
}
