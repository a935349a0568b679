using System.Text;
using Teleport.Orleans.Cli.Tsh;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>Runs tsh in-process with TSH_HOME (and <paramref name="environment"/>) set, a piped stdin, captured output and recorded playback delays.</summary>
internal sealed class TshRun(string home, IReadOnlyDictionary<string, string>? environment = null)
{
    public List<TimeSpan> Delays { get; } = [];

    public async Task<TshResult> RunWithInputAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var context = new TshContext
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin),
            OpenStandardInput = () => new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
            OpenStandardOutput = () => stdout,
            OpenStandardError = () => stderr,
            InputIsTerminal = false,
            Environment = name => name == "TSH_HOME" ? home : environment?.GetValueOrDefault(name),
            Delay = (delay, _) =>
            {
                Delays.Add(delay);
                return Task.CompletedTask;
            },
        };
        var code = await TshApp.RunAsync(args, context);
        return new TshResult(code, output + Encoding.UTF8.GetString(stdout.ToArray()), error + Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public Task<TshResult> RunAsync(params string[] args) => RunWithInputAsync("", args);
}
