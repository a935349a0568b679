using Teleport.Orleans.Cli.Tctl.Connection;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>`ls --format json|yaml` prints the resources in Teleport's shape, exactly as `tctl get` would.</summary>
internal static class ResourceListing
{
    public static async Task<bool> TryWrite(AuthSession session, TextWriter output, string kind, string format, CancellationToken cancellationToken)
    {
        if (format == "text")
        {
            return false;
        }

        var response = await session.Client.GetResourcesAsync(new GetResourcesRequest { Kind = kind, Format = format }, cancellationToken: cancellationToken);
        await output.WriteAsync(response.Text.EndsWith('\n') ? response.Text : response.Text + "\n");
        return true;
    }
}
