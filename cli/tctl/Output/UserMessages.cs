using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>The messages tctl users add/reset print, worded as Teleport's.</summary>
internal static class UserMessages
{
    public static void WriteInvite(TextWriter output, string user, UserTokenResponse token, TimeSpan requestedTtl) =>
        Write(
            output,
            $"User \"{user}\" has been created but requires a password. Share this URL with the user to complete user setup, link is valid for {ValidFor(token, requestedTtl)}:",
            token);

    public static void WriteReset(TextWriter output, string user, UserTokenResponse token, TimeSpan requestedTtl) =>
        Write(
            output,
            $"User \"{user}\" has been reset. Share this URL with the user to complete password reset, link is valid for {ValidFor(token, requestedTtl)}:",
            token);

    private static void Write(TextWriter output, string headline, UserTokenResponse token)
    {
        output.WriteLine(headline);
        if (token.Url.Length > 0)
        {
            output.WriteLine(token.Url);
            output.WriteLine();
            var host = Uri.TryCreate(token.Url, UriKind.Absolute, out var url) ? url.Authority : token.Url;
            output.WriteLine($"NOTE: Make sure {host} points at a Teleport proxy which users can access.");
        }
        else
        {
            // No proxy address known to the auth service: hand out the bare token instead of a broken link.
            output.WriteLine($"token: {token.Token}");
            output.WriteLine();
            output.WriteLine("NOTE: the auth service knows no proxy public address, so no link could be built; open /web/invite/<token> on a Teleport proxy.");
        }
    }

    private static string ValidFor(UserTokenResponse token, TimeSpan requestedTtl) =>
        DurationText.Short(token.Expires is null ? requestedTtl : DurationText.Until(token.Expires.ToDateTimeOffset(), DateTimeOffset.UtcNow));
}
