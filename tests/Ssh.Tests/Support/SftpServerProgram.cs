using System.Diagnostics;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// The "sftp" subsystem as sshd serves it: OpenSSH's sftp-server (package openssh-sftp-server) as a child of
/// the current user, its stdin fed from the channel, its stdout sent back, its stderr as extended data.
/// </summary>
internal static class SftpServerProgram
{
    public const string Executable = "/usr/lib/openssh/sftp-server";

    public static async Task<int> RunAsync(SshSessionStreams io, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sftp-server.");
        try
        {
            var input = Task.Run(
                async () =>
                {
                    try
                    {
                        await io.Input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                    }
                    finally
                    {
                        // The client's EOF is sftp-server's: it exits when its stdin ends.
                        process.StandardInput.Close();
                    }
                },
                CancellationToken.None);
            var output = process.StandardOutput.BaseStream.CopyToAsync(io.Output, cancellationToken);
            var error = process.StandardError.BaseStream.CopyToAsync(io.Error, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(output, error);
            // The input copy ends with the channel (EOF or close); sftp-server may exit first.
            _ = input.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return process.ExitCode;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
