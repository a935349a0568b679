namespace Teleport.Orleans.Grains.Certificates;

/// <summary>The principals of a host certificate, in Teleport's order (keygen.BuildPrincipals).</summary>
internal static class HostPrincipals
{
    public static string[] Build(string hostId, string nodeName, string clusterName, string role, IEnumerable<string> additional)
    {
        // An admin identity names only the host, as Teleport does for RoleAdmin.
        if (string.Equals(role, "Admin", StringComparison.OrdinalIgnoreCase))
        {
            return [hostId];
        }

        var principals = new List<string> { $"{hostId}.{clusterName}", hostId };
        if (nodeName.Length > 0)
        {
            principals.Add($"{nodeName}.{clusterName}");
            principals.Add(nodeName);
        }

        principals.AddRange(["localhost", "127.0.0.1", "::1"]);
        principals.AddRange(additional.Where(p => p.Length > 0));
        return [.. principals.Distinct(StringComparer.Ordinal)];
    }
}
