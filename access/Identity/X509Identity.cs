using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Access.Identity;

/// <summary>
/// Teleport's X.509 identity encoding (lib/tlsca): CN = user or host, O = roles, L = logins, PostalCode = traits JSON,
/// plus the cluster name and system roles under Teleport's private OIDs.
/// </summary>
public sealed record X509Identity
{
    public const string ClusterNameOid = "1.3.9999.1.7";
    public const string SystemRolesOid = "1.3.9999.2.11";

    // Route to app (lib/tlsca): an app certificate is good for one app session only.
    public const string AppSessionIdOid = "1.3.9999.1.10";
    public const string AppPublicAddrOid = "1.3.9999.1.11";
    public const string AppClusterNameOid = "1.3.9999.1.12";
    public const string AppNameOid = "1.3.9999.1.15";
    private const string LocalityOid = "2.5.4.7";
    private const string OrganizationOid = "2.5.4.10";
    private const string PostalCodeOid = "2.5.4.17";
    private const string CommonNameOid = "2.5.4.3";

    public required string Name { get; init; }
    public string[] Roles { get; init; } = [];
    public string[] Logins { get; init; } = [];
    public string Traits { get; init; } = "";
    public string ClusterName { get; init; } = "";
    public string[] SystemRoles { get; init; } = [];

    /// <summary>The app session this certificate is routed to; null for an ordinary user or host certificate.</summary>
    public AppRoute? RouteToApp { get; init; }

    public X500DistinguishedName ToSubject()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(Name);
        foreach (var role in Roles)
        {
            builder.AddOrganizationName(role);
        }

        foreach (var login in Logins)
        {
            builder.AddLocalityName(login);
        }

        if (Traits.Length > 0)
        {
            builder.Add(PostalCodeOid, Traits, UniversalTagNumber.UTF8String);
        }

        if (ClusterName.Length > 0)
        {
            builder.Add(ClusterNameOid, ClusterName, UniversalTagNumber.UTF8String);
        }

        foreach (var role in SystemRoles)
        {
            builder.Add(SystemRolesOid, role, UniversalTagNumber.UTF8String);
        }

        if (RouteToApp is { } app)
        {
            builder.Add(AppSessionIdOid, app.SessionId, UniversalTagNumber.UTF8String);
            builder.Add(AppPublicAddrOid, app.PublicAddr, UniversalTagNumber.UTF8String);
            builder.Add(AppClusterNameOid, app.ClusterName, UniversalTagNumber.UTF8String);
            builder.Add(AppNameOid, app.Name, UniversalTagNumber.UTF8String);
        }

        return builder.Build();
    }

    /// <summary>Reads the identity back from a verified certificate's subject.</summary>
    public static X509Identity FromSubject(X500DistinguishedName subject)
    {
        string name = "", traits = "", cluster = "", appSession = "", appAddr = "", appCluster = "", appName = "";
        List<string> roles = [], logins = [], systemRoles = [];
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            var value = rdn.GetSingleElementValue() ?? "";
            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid: name = value; break;
                case OrganizationOid: roles.Add(value); break;
                case LocalityOid: logins.Add(value); break;
                case PostalCodeOid: traits = value; break;
                case ClusterNameOid: cluster = value; break;
                case SystemRolesOid: systemRoles.Add(value); break;
                case AppSessionIdOid: appSession = value; break;
                case AppPublicAddrOid: appAddr = value; break;
                case AppClusterNameOid: appCluster = value; break;
                case AppNameOid: appName = value; break;
            }
        }

        return new X509Identity
        {
            Name = name,
            Roles = [.. roles],
            Logins = [.. logins],
            Traits = traits,
            ClusterName = cluster,
            SystemRoles = [.. systemRoles],
            RouteToApp = appSession.Length > 0 ? new AppRoute(appSession, appAddr, appCluster, appName) : null,
        };
    }
}

/// <summary>Teleport's RouteToApp: the app session a certificate is for, the app's public address, its cluster and name.</summary>
public sealed record AppRoute(string SessionId, string PublicAddr, string ClusterName, string Name);
