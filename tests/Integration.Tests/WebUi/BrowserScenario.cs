using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.WebUi;

/// <summary>
/// Runs one scenario of <c>web/tests/browser.mjs</c>: Debian's Chromium driven by playwright-core from the web UI's
/// npm packages (installed by the gateway's build). Returns what the scenario read from the page; a failed scenario
/// fails the test with its one-sentence reason and a screenshot path.
/// </summary>
internal static class BrowserScenario
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Script => Path.Combine(Repository.Root, "web", "tests", "browser.mjs");

    public static async Task<JsonObject> RunAsync(string scenario, object arguments)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: install the Debian package chromium (test.sh does).");
        }

        if (!Directory.Exists(Path.Combine(Repository.Root, "web", "node_modules", "playwright-core")))
        {
            throw new InvalidOperationException("web/node_modules has no playwright-core: build the gateway project (it runs npm ci in web/).");
        }

        var failShot = Path.Combine(Path.GetTempPath(), $"webui-{scenario}-{Guid.NewGuid():N}.png");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(Repository.Root, "web"),
            Environment =
            {
                ["WEBUI_SCENARIO"] = scenario,
                ["WEBUI_ARGS"] = JsonSerializer.Serialize(arguments),
                ["WEBUI_FAILSHOT"] = failShot,
            },
        };
        start.ArgumentList.Add(Script);
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"browser scenario \"{scenario}\" did not finish within {Timeout.TotalSeconds:F0} s: {stderr}");
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var shot = File.Exists(failShot) ? $" (screenshot: {failShot})" : "";
            throw new InvalidOperationException($"{stderr.ToString().Trim()}{shot}");
        }

        var last = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "{}";
        return JsonNode.Parse(last)!.AsObject();
    }
}
