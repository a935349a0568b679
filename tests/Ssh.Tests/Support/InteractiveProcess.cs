using System.Diagnostics;
using System.Text;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// A long-running child process (ssh, script) driven as a person would: write to its stdin, wait for text on
/// its stdout or stderr. Disposing kills it (by its own handle) if it is still running.
/// </summary>
internal sealed class InteractiveProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _readers;

    private InteractiveProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, _output), PumpAsync(process.StandardError.BaseStream, _error));
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static InteractiveProcess Start(string executable, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new InteractiveProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}."));
    }

    public async Task WriteAsync(string text)
    {
        await _process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _process.StandardInput.BaseStream.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits until stdout contains <paramref name="text"/> (after <paramref name="from"/>); returns the index just past it.</summary>
    public Task<int> WaitForOutputAsync(string text, int from = 0) => WaitForAsync(() => Output, text, from);

    public Task<int> WaitForErrorAsync(string text, int from = 0) => WaitForAsync(() => Error, text, from);

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The process did not exit. stdout: '{Output}' stderr: '{Error}'");
        }

        await _readers;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }

        await _readers;
        _process.Dispose();
    }

    public override string ToString() => $"stdout: '{Output}' stderr: '{Error}'";

    private async Task<int> WaitForAsync(Func<string> read, string text, int from)
    {
        var deadline = DateTime.UtcNow + DefaultTimeout;
        while (true)
        {
            var current = read();
            var index = current.IndexOf(text, Math.Min(from, current.Length), StringComparison.Ordinal);
            if (index >= 0)
            {
                return index + text.Length;
            }

            if (DateTime.UtcNow > deadline || (_process.HasExited && _readers.IsCompleted && read() == current))
            {
                throw new TimeoutException($"'{text}' never appeared. {this}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task PumpAsync(Stream stream, StringBuilder sink)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            var count = decoder.GetChars(buffer, 0, read, chars, 0);
            lock (sink)
            {
                sink.Append(chars, 0, count);
            }
        }
    }
}
