using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Users;
using User = Teleport.Orleans.Contracts.Resources.User;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<UserResponse> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        var caller = await authorizer.Authorize(context, "user", "create");
        var traits = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Logins.Count > 0)
        {
            traits["logins"] = [.. request.Logins];
        }

        var user = new User { Name = request.Name, Roles = [.. request.Roles], Traits = traits };
        var saved = await grains.GetGrain<IUserGrain>(request.Name).Save(user, upsert: false, caller);
        return new UserResponse { User = saved.ToProto() };
    }

    public override async Task<UserResponse> GetUser(GetUserRequest request, ServerCallContext context)
    {
        await authorizer.Authorize(context, "user", "read");
        var user = await grains.GetGrain<IUserGrain>(request.Name).Get()
            ?? throw AuthException.NotFound($"user \"{request.Name}\" is not found");
        return new UserResponse { User = user.ToProto() };
    }

    public override async Task<ListUsersResponse> ListUsers(ListUsersRequest request, ServerCallContext context)
    {
        await authorizer.Authorize(context, "user", "list");
        var response = new ListUsersResponse();
        response.Users.AddRange((await Directory<User>().List()).Select(u => u.ToProto()));
        return response;
    }

    public override async Task<Empty> DeleteUser(DeleteUserRequest request, ServerCallContext context)
    {
        var caller = await authorizer.Authorize(context, "user", "delete");
        await grains.GetGrain<IUserGrain>(request.Name).Delete(caller);
        return new Empty();
    }

    public override async Task<Empty> UnlockUser(GetUserRequest request, ServerCallContext context)
    {
        var caller = await authorizer.Authorize(context, "user", "update");
        await grains.GetGrain<IUserGrain>(request.Name).Unlock(caller);
        return new Empty();
    }

    public override async Task<UserTokenResponse> CreateUserToken(CreateUserTokenRequest request, ServerCallContext context)
    {
        var caller = await authorizer.Authorize(context, "user", "update");
        var kind = request.Kind switch
        {
            "" or "invite" => UserTokenKind.Invite,
            "reset" => UserTokenKind.Reset,
            _ => throw AuthException.BadParameter($"unknown token kind \"{request.Kind}\": use invite or reset"),
        };
        var token = await grains.GetGrain<IUserTokenGrain>(NewSecret()).Create(request.User, kind, ProtoMapping.Seconds(request.TtlSeconds), caller);
        return await ToResponse(token);
    }

    public override async Task<UserTokenResponse> GetUserToken(GetUserTokenRequest request, ServerCallContext context)
    {
        authorizer.AuthorizeSystem(context, "Proxy");
        var token = await grains.GetGrain<IUserTokenGrain>(request.Token).Get()
            ?? throw AuthException.NotFound("the invite or reset token is invalid or has expired");
        return await ToResponse(token);
    }

    public override async Task<UserResponse> RedeemUserToken(RedeemUserTokenRequest request, ServerCallContext context)
    {
        var caller = authorizer.AuthorizeSystem(context, "Proxy");
        var user = await grains.GetGrain<IUserTokenGrain>(request.Token).Redeem(request.Password, request.OtpCode, caller);
        return new UserResponse { User = user.ToProto() };
    }

    private async Task<UserTokenResponse> ToResponse(UserToken token)
    {
        var settings = await Settings();
        var otp = settings.AuthPreference.SecondFactor == SecondFactor.Otp;
        var kind = token.Kind == UserTokenKind.Invite ? "invite" : "reset";
        return new UserTokenResponse
        {
            Token = token.Id,
            User = token.User,
            Kind = kind,
            Expires = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(token.Expires),
            Url = $"https://{ProxyAddress(settings)}/web/{kind}/{token.Id}",
            OtpSecret = otp ? token.OtpSecret : "",
            OtpUri = otp ? TotpVerifier.KeyUri(token.OtpSecret, token.User, settings.ClusterName) : "",
        };
    }
}
