using System.CommandLine;
using System.Globalization;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl lock: create a lock (Teleport's flags); tctl get locks and tctl rm lock/NAME manage it afterwards.</summary>
internal static class LockCommand
{
    public static Command Create(TctlContext context)
    {
        var user = new Option<string?>("--user") { Description = "Name of a Teleport user to disable" };
        var login = new Option<string?>("--login") { Description = "Name of a local UNIX user to disable" };
        var node = new Option<string?>("--node", "--server-id") { Description = "UUID of a Teleport node to disable" };
        var message = new Option<string?>("--message") { Description = "Message to display to locked-out users" };
        var ttl = new Option<string?>("--ttl") { Description = "Time duration after which the lock expires (e.g. 1h)" };
        var expires = new Option<string?>("--expires") { Description = "Time point (RFC3339) when the lock expires" };
        var command = new Command("lock", "Create a new lock") { user, login, node, message, ttl, expires };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = new[] { ("user", parseResult.GetValue(user)), ("login", parseResult.GetValue(login)), ("node", parseResult.GetValue(node)) }
                .Where(t => !string.IsNullOrWhiteSpace(t.Item2))
                .ToArray();
            if (target.Length == 0)
            {
                throw new TctlException("at least one of --user, --login or --node is required");
            }

            var expiry = Expiry(parseResult.GetValue(ttl), parseResult.GetValue(expires));
            var name = Guid.NewGuid().ToString();
            var yaml = new System.Text.StringBuilder();
            yaml.Append("kind: lock\nversion: v2\nmetadata:\n  name: ").Append(name).Append("\nspec:\n  target:\n");
            foreach (var (key, value) in target)
            {
                yaml.Append("    ").Append(key).Append(": ").Append(Quote(value!.Trim())).Append('\n');
            }

            if (parseResult.GetValue(message) is { Length: > 0 } text)
            {
                yaml.Append("  message: ").Append(Quote(text)).Append('\n');
            }

            if (expiry is { } at)
            {
                yaml.Append("  expires: \"").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("\"\n");
            }

            using var session = context.Connect(parseResult);
            await session.Client.CreateResourceAsync(new CreateResourceRequest { Yaml = yaml.ToString() }, cancellationToken: cancellationToken);
            await context.Out(parseResult).WriteLineAsync($"Created a lock with name \"{name}\".");
            return 0;
        });
        return command;
    }

    private static DateTimeOffset? Expiry(string? ttl, string? expires)
    {
        if (!string.IsNullOrWhiteSpace(ttl) && !string.IsNullOrWhiteSpace(expires))
        {
            throw new TctlException("use either --ttl or --expires, not both");
        }

        if (!string.IsNullOrWhiteSpace(ttl))
        {
            return GoDuration.TryParse(ttl, out var duration) && duration > TimeSpan.Zero
                ? DateTimeOffset.UtcNow + duration
                : throw new TctlException($"invalid --ttl \"{ttl}\": expected a positive duration such as 30m or 1h");
        }

        if (!string.IsNullOrWhiteSpace(expires))
        {
            return DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new TctlException($"invalid --expires \"{expires}\": expected an RFC3339 time such as 2030-01-02T15:04:05Z");
        }

        return null;
    }

    // Double-quoted YAML scalar: names and messages may hold ':' or '#'.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
