using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Recording;
using Teleport.Orleans.Agent.Tests.Support;

namespace Teleport.Orleans.Agent.Tests.Recording;

/// <summary>Interactive sessions are recorded as asciicast v2 that players can parse.</summary>
public sealed class RecordingTests
{
    [Fact]
    public async Task Pty_session_recording_holds_what_was_typed_with_increasing_timestamps()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync(null, Encoding.ASCII.GetBytes("echo typed-$((6*7))\nexit\n"), null, "-tt");

        Assert.Equal(0, run.ExitCode);
        await Eventually.TrueAsync(() => !node.Observer.Ended.IsEmpty);
        var (session, _, path) = Assert.Single(node.Observer.Ended);
        Assert.Equal(Path.Combine(node.RecordingDirectory, session.SessionId + ".cast"), path);
        Assert.False(File.Exists(path + ".part"));
        var lines = await File.ReadAllLinesAsync(path!);
        using var header = JsonDocument.Parse(lines[0]);
        Assert.Equal(2, header.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(session.SessionId, header.RootElement.GetProperty("teleport").GetProperty("session_id").GetString());
        Assert.Equal("alice", header.RootElement.GetProperty("teleport").GetProperty("user").GetString());
        var output = new StringBuilder();
        var last = 0.0;
        foreach (var line in lines.Skip(1))
        {
            using var item = JsonDocument.Parse(line);
            var time = item.RootElement[0].GetDouble();
            Assert.True(time >= last);
            last = time;
            if (item.RootElement[1].GetString() == "o")
            {
                output.Append(item.RootElement[2].GetString());
            }
        }

        Assert.Contains("echo typed-$((6*7))", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("typed-42", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8_split_across_chunks_is_joined_and_invalid_bytes_are_replaced()
    {
        var directory = Directory.CreateTempSubdirectory("agent-recording-").FullName;
        try
        {
            var recorder = AsciicastRecorder.Start(directory, new RecordingHeader { SessionId = "s1", Width = 80, Height = 24, Started = DateTimeOffset.UtcNow }, NullLogger.Instance);
            var euro = Encoding.UTF8.GetBytes("€");
            await recorder.OutputAsync(euro.AsSpan(0, 1), CancellationToken.None);
            await recorder.OutputAsync(euro.AsSpan(1), CancellationToken.None);
            recorder.Resize(100, 30);
            await recorder.OutputAsync(new byte[] { 0x41, 0xFF, 0x42 }, CancellationToken.None);
            var path = await recorder.CompleteAsync();

            var events = (await File.ReadAllLinesAsync(path!)).Skip(1).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var output = string.Concat(events.Where(e => e[1].GetString() == "o").Select(e => e[2].GetString()));
            Assert.Equal("€A\uFFFDB", output);
            Assert.Contains(events, e => e[1].GetString() == "r" && e[2].GetString() == "100x30");
            Assert.Equal(Path.Combine(directory, "s1.cast"), path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Commands_without_a_terminal_are_not_recorded()
    {
        await using var node = new NodeServer();

        await node.SshAsync("echo plain");

        await Eventually.TrueAsync(() => !node.Observer.Ended.IsEmpty);
        Assert.Null(Assert.Single(node.Observer.Ended).RecordingPath);
        Assert.False(Directory.Exists(node.RecordingDirectory) && Directory.EnumerateFiles(node.RecordingDirectory).Any());
    }
}
