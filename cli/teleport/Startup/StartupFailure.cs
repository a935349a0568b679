using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// The one place where <c>teleport start</c> turns a failure into the line an operator reads, <c>ERROR: sentence</c>
/// (never a stack trace or an exception's name), and an exit code: 2 for a configuration it refuses, 1 for a start
/// that failed. tsh and tctl print the same shape from their own single handlers (TshApp, TctlApp).
/// </summary>
internal static class StartupFailure
{
    /// <param name="services">What was starting, for an unexpected failure: "the auth service", "ssh_service".</param>
    public static async Task<int> ReportAsync(Exception failure, string services, TextWriter error)
    {
        var (sentence, exitCode) = Describe(Innermost(failure), services);
        await error.WriteLineAsync($"ERROR: {sentence}");
        return exitCode;
    }

    private static (string Sentence, int ExitCode) Describe(Exception failure, string services) => failure switch
    {
        ConfigurationException e => (e.Message, 2),
        StartupException e => (e.Message, e.ExitCode),
        JoinException e => ($"{(services == "app_service" ? "the app service" : "the node")} could not join the cluster: {e.Message}", 1),
        NodeStartException e => (e.Message, 1),
        // Unexpected: the message alone says what went wrong; the log above it has the details.
        _ => ($"{services} could not start: {failure.Message}", 1),
    };

    private static Exception Innermost(Exception failure) =>
        failure is AggregateException { InnerExceptions.Count: 1 } aggregate ? Innermost(aggregate.InnerExceptions[0]) : failure;
}
