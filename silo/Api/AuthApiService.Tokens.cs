using Grpc.Core;
using Teleport.Orleans.Access.Joining;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tokens;
using JoinToken = Teleport.Orleans.Contracts.Resources.JoinToken;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<JoinTokenResponse> CreateJoinToken(CreateJoinTokenRequest request, ServerCallContext context)
    {
        var caller = await authorizer.Authorize(context, "token", "create");
        var name = request.Name.Length > 0 ? request.Name : NewSecret();
        var token = await grains.GetGrain<IJoinTokenGrain>(name).Create(
            [.. request.Roles], ProtoMapping.Seconds(request.TtlSeconds), new Dictionary<string, string>(request.Labels), caller);
        var tls = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetInfo();
        return new JoinTokenResponse { Token = token.ToProto(), CaPin = tls?.Fingerprint ?? "" };
    }

    public override async Task<ListJoinTokensResponse> ListJoinTokens(ListJoinTokensRequest request, ServerCallContext context)
    {
        await authorizer.Authorize(context, "token", "list");
        var response = new ListJoinTokensResponse();
        response.Tokens.AddRange((await LiveJoinTokens()).Select(t => t.ToProto()));
        return response;
    }

    public override async Task<Contracts.Api.Empty> DeleteJoinToken(DeleteJoinTokenRequest request, ServerCallContext context)
    {
        var caller = await authorizer.Authorize(context, "token", "delete");
        await grains.GetGrain<IJoinTokenGrain>(request.Name).Delete(caller);
        return new Contracts.Api.Empty();
    }

    public override async Task<Certificates> RegisterUsingToken(RegisterUsingTokenRequest request, ServerCallContext context)
    {
        // Anonymous by design: the token is the credential.
        var caller = new Caller { Name = request.HostId, Roles = [request.Role], Address = ApiIdentity.From(context).Address };
        return await grains.RegisterAsync(request, caller);
    }

    private async Task<JoinToken[]> LiveJoinTokens()
    {
        var now = DateTimeOffset.UtcNow;
        return [.. (await Directory<JoinToken>().List()).Where(t => t.Expires > now && t.UsedAt is null)];
    }
}
