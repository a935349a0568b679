using System.CommandLine;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl users add|ls|rm|reset.</summary>
internal static class UsersCommand
{
    // Teleport's defaults: an invite lasts an hour, a password reset eight.
    private static readonly TimeSpan InviteTtl = TimeSpan.FromHours(1);
    private static readonly TimeSpan ResetTtl = TimeSpan.FromHours(8);

    public static Command Create(TctlContext context)
    {
        var users = new Command("users", "Manage user accounts");
        users.Subcommands.Add(Add(context));
        users.Subcommands.Add(List(context));
        users.Subcommands.Add(Remove(context));
        users.Subcommands.Add(Reset(context));
        return users;
    }

    private static Command Add(TctlContext context)
    {
        var name = new Argument<string>("name") { Description = "Teleport user name" };
        var roles = Options.List("--roles", "Roles to assign, comma-separated", required: true);
        var logins = Options.List("--logins", "Unix logins the user may use, comma-separated");
        var ttl = Options.Duration("--ttl", "How long the invite link is valid", InviteTtl);
        var command = new Command("add", "Create a user and print an invite link") { name, roles, logins, ttl };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var user = parseResult.GetRequiredValue(name);
            var request = new CreateUserRequest { Name = user };
            request.Roles.AddRange(parseResult.GetRequiredValue(roles));
            request.Logins.AddRange(parseResult.GetValue(logins) ?? []);
            await session.Client.CreateUserAsync(request, cancellationToken: cancellationToken);

            var token = await session.Client.CreateUserTokenAsync(
                new CreateUserTokenRequest { User = user, Kind = "invite", TtlSeconds = Seconds(ttl.ValueOf(parseResult)) },
                cancellationToken: cancellationToken);
            UserMessages.WriteInvite(context.Out(parseResult), user, token, ttl.ValueOf(parseResult));
            return 0;
        });
        return command;
    }

    private static Command List(TctlContext context)
    {
        var format = Options.Choice("--format", "Output format", "text", "text", "json", "yaml");
        var command = new Command("ls", "List users") { format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            if (await ResourceListing.TryWrite(session, context.Out(parseResult), "user", parseResult.GetRequiredValue(format), cancellationToken))
            {
                return 0;
            }

            var response = await session.Client.ListUsersAsync(new ListUsersRequest(), cancellationToken: cancellationToken);
            TextTable.Write(
                context.Out(parseResult),
                ["User", "Roles"],
                response.Users.OrderBy(u => u.Name, StringComparer.Ordinal).Select(u => (IReadOnlyList<string>)[u.Name, string.Join(",", u.Roles)]));
            return 0;
        });
        return command;
    }

    private static Command Remove(TctlContext context)
    {
        var names = new Argument<string>("names") { Description = "User name(s) to delete, comma-separated" };
        var command = new Command("rm", "Delete users") { names };
        command.Aliases.Add("del");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var output = context.Out(parseResult);
            foreach (var user in Options.SplitList([parseResult.GetRequiredValue(names)]))
            {
                await session.Client.DeleteUserAsync(new DeleteUserRequest { Name = user }, cancellationToken: cancellationToken);
                await output.WriteLineAsync($"User \"{user}\" has been deleted");
            }

            return 0;
        });
        return command;
    }

    private static Command Reset(TctlContext context)
    {
        var name = new Argument<string>("name") { Description = "User whose password (and second factor) to reset" };
        var ttl = Options.Duration("--ttl", "How long the reset link is valid", ResetTtl);
        var command = new Command("reset", "Reset a user's password and print a link to set a new one") { name, ttl };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var session = context.Connect(parseResult);
            var user = parseResult.GetRequiredValue(name);
            var token = await session.Client.CreateUserTokenAsync(
                new CreateUserTokenRequest { User = user, Kind = "reset", TtlSeconds = Seconds(ttl.ValueOf(parseResult)) },
                cancellationToken: cancellationToken);
            UserMessages.WriteReset(context.Out(parseResult), user, token, ttl.ValueOf(parseResult));
            return 0;
        });
        return command;
    }

    private static long Seconds(TimeSpan value) => (long)Math.Ceiling(value.TotalSeconds);
}
