using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>What tctl tokens add prints: the token and how a host joins with it, as Teleport words it.</summary>
internal static class TokenMessages
{
    public static void WriteJoinInstructions(TextWriter output, JoinTokenResponse response, string authServer, TimeSpan requestedTtl)
    {
        var token = response.Token;
        var ttl = token.Expires is null ? requestedTtl : token.Expires.ToDateTimeOffset() - DateTimeOffset.UtcNow;
        var minutes = Math.Max(0, (int)Math.Round(ttl.TotalMinutes));
        var roles = string.Join(",", token.Roles.Select(r => r.ToLowerInvariant()));
        var what = token.Roles.Count == 1 ? $"new {token.Roles[0].ToLowerInvariant()}" : "new host";

        output.WriteLine($"The invite token: {token.Name}");
        output.WriteLine($"This token will expire in {minutes} minutes.");
        output.WriteLine();
        output.WriteLine($"Run this on the {what} to join the cluster:");
        output.WriteLine();
        output.WriteLine("> teleport start \\");
        output.WriteLine($"   --roles={roles} \\");
        output.WriteLine($"   --token={token.Name} \\");
        if (response.CaPin.Length > 0)
        {
            output.WriteLine($"   --ca-pin={response.CaPin} \\");
        }

        output.WriteLine($"   --auth-server={authServer}");
        output.WriteLine();
        output.WriteLine("Please note:");
        output.WriteLine();
        output.WriteLine($"  - This invitation token will expire in {minutes} minutes");
        output.WriteLine($"  - {authServer} must be reachable from the {what}");
    }

    /// <summary>"node" → "Node", as Teleport's token table shows system roles.</summary>
    public static string RoleTitle(string role) =>
        role.Length == 0 ? role : char.ToUpperInvariant(role[0]) + role[1..].ToLowerInvariant();
}
