using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Tokens;

/// <summary>Spends the join token (or repeats the answer to the same host retrying with the same keys), then signs the host's certificates for the role the token grants.</summary>
[StatelessWorker]
[Reentrant]
internal sealed class HostJoinGrain : Grain, IHostJoinGrain
{
    public async Task<HostCertificates> Join(HostJoinRequest request, Caller caller)
    {
        var token = await GrainFactory.GetGrain<IJoinTokenGrain>(request.Token).Consume(request.Role, request.HostId, request.KeyFingerprint(), caller);
        // The token's own spelling of the role ("node" or "Node") is what goes into the certificates.
        var role = token.Roles.First(r => string.Equals(r, request.Role, StringComparison.OrdinalIgnoreCase));
        return await GrainFactory.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = request.HostId,
            NodeName = request.NodeName,
            Role = role,
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey,
            AdditionalPrincipals = request.AdditionalPrincipals,
            DnsNames = request.DnsNames,
        }, caller);
    }
}
