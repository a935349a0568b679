using System.Runtime.InteropServices;
using Teleport.Orleans.Cli.Tsh.Terminal;

namespace Teleport.Orleans.Cli.Tsh;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP delivered to tsh: the terminal is restored at once, the running command is cancelled
/// through <see cref="Token"/>, and if it has not ended within <see cref="GracePeriod"/> the process exits anyway,
/// so that a signal never leaves a raw terminal or a hung tsh behind.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Func<int, int> _exitCode;
    private int _signal;

    /// <param name="exitCode">The exit code for a signal number, should the command not end in time.</param>
    public TerminationSignals(Func<int, int> exitCode)
    {
        _exitCode = exitCode;
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var (signal, number) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1) })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Terminate(number);
            }));
        }
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The number of the signal that ended tsh, or null.</summary>
    public int? Signal => _signal == 0 ? null : _signal;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void Terminate(int number)
    {
        if (Interlocked.CompareExchange(ref _signal, number, 0) != 0)
        {
            return;
        }

        RawTerminal.RestoreActive();
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command had already finished.
        }

        _ = Task.Delay(GracePeriod).ContinueWith(_ => Environment.Exit(_exitCode(number)), TaskScheduler.Default);
    }
}
