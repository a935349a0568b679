using System.Diagnostics;
using Teleport.Orleans.Ssh.Sftp;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>OpenSSH's sftp-server as a child process with an SFTP client on its pipes; disposing ends the process.</summary>
internal sealed class SftpServerPipes : IAsyncDisposable
{
    private readonly Process _process;

    private SftpServerPipes(Process process, SftpClient client)
    {
        _process = process;
        Client = client;
    }

    public SftpClient Client { get; }

    public static async Task<SftpServerPipes> StartAsync()
    {
        var start = new ProcessStartInfo("/usr/lib/openssh/sftp-server") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sftp-server.");
        try
        {
            return new SftpServerPipes(process, await SftpClient.ConnectAsync(process.StandardOutput.BaseStream, process.StandardInput.BaseStream));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
