using Grpc.Core;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Nodes;
using JoinToken = Teleport.Orleans.Contracts.Resources.JoinToken;
using User = Teleport.Orleans.Contracts.Resources.User;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<CreateResourceResponse> CreateResource(CreateResourceRequest request, ServerCallContext context)
    {
        IReadOnlyList<ResourceDocument> documents;
        try
        {
            documents = ResourceYaml.Parse(request.Yaml);
        }
        catch (ResourceFormatException ex)
        {
            throw AuthException.BadParameter(ex.Message);
        }

        // Every document is authorized before any is written, so a refused batch changes nothing.
        var callers = new List<Caller>();
        foreach (var document in documents)
        {
            var verbs = request.Force ? new[] { "create", "update" } : ["create"];
            callers.Add(await authorizer.Authorize(context, document.Kind, verbs));
        }

        var response = new CreateResourceResponse();
        for (var i = 0; i < documents.Count; i++)
        {
            await Create(documents[i], request.Force, callers[i]);
            response.Created.Add($"{documents[i].Kind}/{documents[i].Name}");
        }

        return response;
    }

    public override async Task<GetResourcesResponse> GetResources(GetResourcesRequest request, ServerCallContext context)
    {
        var kind = ResourceKinds.Normalize(request.Kind);
        await authorizer.Authorize(context, kind, request.Name.Length > 0 ? "read" : "list");
        var documents = await Read(kind, request.Name);
        if (request.Name.Length > 0 && documents.Count == 0)
        {
            throw AuthException.NotFound($"{kind} \"{request.Name}\" is not found");
        }

        var text = request.Format switch
        {
            "" or "yaml" => ResourceYaml.ToYaml(documents),
            "json" => ResourceYaml.ToJson(documents),
            _ => throw AuthException.BadParameter($"unknown format \"{request.Format}\": use yaml or json"),
        };
        return new GetResourcesResponse { Text = text };
    }

    public override async Task<Contracts.Api.Empty> DeleteResource(DeleteResourceRequest request, ServerCallContext context)
    {
        var kind = ResourceKinds.Normalize(request.Kind);
        var caller = await authorizer.Authorize(context, kind, "delete");
        switch (kind)
        {
            case ResourceKinds.User: await grains.GetGrain<IUserGrain>(request.Name).Delete(caller); break;
            case ResourceKinds.Role: await grains.GetGrain<IRoleGrain>(request.Name).Delete(caller); break;
            case ResourceKinds.Token: await grains.GetGrain<IJoinTokenGrain>(request.Name).Delete(caller); break;
            case ResourceKinds.Node: await grains.GetGrain<INodeGrain>(request.Name).Delete(caller); break;
            case ResourceKinds.Lock: await grains.GetGrain<ILockGrain>(request.Name).Delete(caller); break;
            default: throw AuthException.BadParameter($"{kind} resources cannot be deleted");
        }

        return new Contracts.Api.Empty();
    }

    private async Task Create(ResourceDocument document, bool force, Caller caller)
    {
        switch (document)
        {
            case RoleDocument role:
                await grains.GetGrain<IRoleGrain>(role.Role.Name).Save(role.Role, force, caller);
                break;
            case UserDocument user:
                await grains.GetGrain<IUserGrain>(user.User.Name).Save(user.User, force, caller);
                break;
            case JoinTokenDocument token:
                var grain = grains.GetGrain<IJoinTokenGrain>(token.Token.Name);
                if (force && await grain.Get() is not null)
                {
                    await grain.Delete(caller);
                }

                var ttl = token.Token.Expires > DateTimeOffset.UtcNow ? token.Token.Expires - DateTimeOffset.UtcNow : TimeSpan.Zero;
                await grain.Create(token.Token.Roles, ttl, token.Token.Labels, caller);
                break;
            case NodeDocument node:
                await grains.GetGrain<INodeGrain>(node.Node.Name).UpsertAgentless(node.Node, force, caller);
                break;
            case LockDocument lockDocument:
                await grains.GetGrain<ILockGrain>(lockDocument.Lock.Name).Save(lockDocument.Lock, force, caller);
                break;
            case AuthPreferenceDocument preference:
                await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).SetAuthPreference(preference.Preference, caller);
                break;
            default:
                throw AuthException.BadParameter($"{document.Kind} resources cannot be created with this API");
        }
    }

    private async Task<IReadOnlyList<ResourceDocument>> Read(string kind, string name)
    {
        bool Wanted(string itemName) => name.Length == 0 || string.Equals(itemName, name, StringComparison.Ordinal);
        return kind switch
        {
            ResourceKinds.User => [.. (await Directory<User>().List()).Where(u => Wanted(u.Name)).Select(u => new UserDocument(u))],
            ResourceKinds.Role => [.. (await Directory<Role>().List()).Where(r => Wanted(r.Name)).Select(r => new RoleDocument(r))],
            ResourceKinds.Token => [.. (await LiveJoinTokens()).Where(t => Wanted(t.Name)).Select(t => new JoinTokenDocument(t))],
            ResourceKinds.AuthPreference => [new AuthPreferenceDocument((await Settings()).AuthPreference)],
            ResourceKinds.Node => [.. (await grains.ListNodesAsync()).Where(n => Wanted(n.Name)).Select(n => new NodeDocument(n))],
            ResourceKinds.Lock => [.. (await Directory<AccessLock>().List()).Where(l => Wanted(l.Name) && l.InForce(DateTimeOffset.UtcNow)).Select(l => new LockDocument(l))],
            ResourceKinds.SessionTracker => [.. (await grains.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey).List(includeTerminated: true))
                .Where(t => Wanted(t.SessionId)).Select(t => new SessionTrackerDocument(t))],
            _ => throw AuthException.BadParameter($"unknown resource kind \"{kind}\""),
        };
    }
}
