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

        return builder.Build();
    }

    /// <summary>Reads the identity back from a verified certificate's subject.</summary>
    public static X509Identity FromSubject(X500DistinguishedName subject)
    {
        string name = "", traits = "", cluster = "";
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
        };
    }
}
