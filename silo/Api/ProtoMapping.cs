using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Contracts.Grains;
using Proto = Teleport.Orleans.Contracts.Api;
using Resources = Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Silo.Api;

internal static class ProtoMapping
{
    public static Proto.User ToProto(this Resources.User user)
    {
        var proto = new Proto.User
        {
            Name = user.Name,
            CreatedAt = Timestamp.FromDateTimeOffset(user.CreatedAt),
            CreatedBy = user.CreatedBy,
            HasPassword = user.HasPassword,
            HasOtp = user.HasOtp,
        };
        proto.Roles.AddRange(user.Roles);
        foreach (var (key, values) in user.Traits)
        {
            var list = new Proto.StringList();
            list.Values.AddRange(values);
            proto.Traits[key] = list;
        }

        if (user.LockedUntil is { } locked)
        {
            proto.LockedUntil = Timestamp.FromDateTimeOffset(locked);
        }

        return proto;
    }

    public static Proto.JoinToken ToProto(this Resources.JoinToken token)
    {
        var proto = new Proto.JoinToken { Name = token.Name, Expires = Timestamp.FromDateTimeOffset(token.Expires) };
        proto.Roles.AddRange(token.Roles);
        proto.Labels.Add(token.Labels);
        return proto;
    }

    public static Proto.Certificates ToProto(this UserCertificates certificates)
    {
        var proto = new Proto.Certificates
        {
            SshCertificate = certificates.SshCertificate,
            TlsCertificate = certificates.TlsCertificatePem,
            TlsCa = certificates.TlsCaPem,
            HostCa = certificates.HostCaPublicKey,
            UserCa = certificates.UserCaPublicKey,
            ClusterName = certificates.ClusterName,
            ValidBefore = Timestamp.FromDateTimeOffset(certificates.ValidBefore),
        };
        proto.Logins.AddRange(certificates.Logins);
        return proto;
    }

    public static TimeSpan Seconds(long seconds) =>
        seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
}
