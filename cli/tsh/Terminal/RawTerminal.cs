using System.Diagnostics;

namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>
/// Puts the local terminal in raw mode for an interactive session (keys go to the remote side as typed, no local
/// echo) and restores the saved settings on dispose, through stty(1) on the terminal tsh reads from.
/// </summary>
internal sealed class RawTerminal : IDisposable
{
    private readonly string? _saved;

    private RawTerminal(string? saved)
    {
        _saved = saved;
    }

    public static RawTerminal Enter()
    {
        var saved = Stty("-g");
        if (saved is not null)
        {
            Stty("raw", "-echo");
        }

        return new RawTerminal(saved?.Trim());
    }

    public void Dispose()
    {
        if (_saved is { Length: > 0 })
        {
            Stty(_saved);
        }
    }

    private static string? Stty(params string[] arguments)
    {
        var start = new ProcessStartInfo("stty") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            // stty acts on its standard input, which it inherits: tsh's terminal.
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
