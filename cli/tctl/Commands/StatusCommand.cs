using System.CommandLine;
using System.Globalization;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl status: cluster name, version, CA fingerprints and the CA pin.</summary>
internal static class StatusCommand
{
    public static Command Create(TctlContext context)
    {
        var command = new Command("status", "Report cluster status");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var status = await session.Client.GetClusterStatusAsync(new GetClusterStatusRequest(), cancellationToken: cancellationToken);
            TableWriter.WriteKeyValues(context.Out(parseResult), Lines(status));
            return 0;
        });
        return command;
    }

    private static IEnumerable<(string, string)> Lines(ClusterStatus status)
    {
        yield return ("Cluster", status.ClusterName);
        yield return ("Version", status.Version);
        foreach (var authority in status.Authorities)
        {
            yield return ($"{authority.Type} CA", authority.Fingerprint);
        }

        yield return ("CA pin", status.CaPin);
        if (status.SecondFactor.Length > 0)
        {
            yield return ("Second factor", status.SecondFactor);
        }

        if (status.ProxyPublicAddr.Length > 0)
        {
            yield return ("Proxy", status.ProxyPublicAddr);
        }

        yield return ("Users", status.UserCount.ToString(CultureInfo.InvariantCulture));
        yield return ("Roles", status.RoleCount.ToString(CultureInfo.InvariantCulture));
        yield return ("Join tokens", status.JoinTokenCount.ToString(CultureInfo.InvariantCulture));
    }
}
