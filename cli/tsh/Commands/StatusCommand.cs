using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.Profiles;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh status: who is logged in where, with which logins, until when (read from the stored certificate).</summary>
internal static class StatusCommand
{
    public static Command Create(TshContext context)
    {
        var command = new Command("status", "Display the list of proxy servers and retrieved certificates");
        command.SetAction(_ =>
        {
            var login = context.Store.RequireLogin();
            Write(context.Out, login);
            return 0;
        });
        return command;
    }

    public static void Write(TextWriter output, LoggedInUser login)
    {
        var certificate = login.Certificate;
        var left = certificate.ValidBefore - DateTimeOffset.UtcNow;
        var validity = left > TimeSpan.Zero ? $"valid for {(int)left.TotalHours}h{left.Minutes}m" : "EXPIRED";
        output.WriteLine($"> Profile URL:        https://{login.Profile.WebProxyAddr}");
        output.WriteLine($"  Logged in as:       {login.Profile.User}");
        output.WriteLine($"  Cluster:            {login.Profile.Cluster}");
        output.WriteLine($"  Logins:             {string.Join(", ", certificate.Principals)}");
        output.WriteLine($"  Valid until:        {certificate.ValidBefore.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC [{validity}]");
        output.WriteLine($"  Extensions:         {string.Join(", ", certificate.Extensions.Keys.Order(StringComparer.Ordinal))}");
    }
}
