using System.Diagnostics;
using Teleport.Orleans.Ssh.Sftp;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Sftp;

/// <summary>OpenSSH's sftp-server as a child process with our client on its pipes; disposing ends the process it started.</summary>
internal sealed class SftpServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SftpServerProcess(Process process, SftpClient client)
    {
        _process = process;
        Client = client;
    }

    public SftpClient Client { get; }

    public static async Task<SftpServerProcess> StartAsync()
    {
        var start = new ProcessStartInfo(SftpServerProgram.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sftp-server.");
        try
        {
            var client = await SftpClient.ConnectAsync(process.StandardOutput.BaseStream, process.StandardInput.BaseStream);
            return new SftpServerProcess(process, client);
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
        // End of input is sftp-server's signal to exit.
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
