using System.Diagnostics;
using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Gateway;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Api;

/// <summary>
/// The auth API while its PostgreSQL is stopped: every caller learns "unavailable, try again" with a sentence by its
/// deadline, not a bare DeadlineExceeded, even the calls that wait behind one grain's storage retries; the same writes
/// succeed once it is back.
/// </summary>
public sealed class BackendOutageApiTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Writes_queued_behind_one_grain_in_a_backend_outage_answer_unavailable_with_a_sentence_by_their_deadline()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var auth = await TeleportServer.StartAsync(await ProxyPoolTests.PostgresStorage(postgres));
        var client = auth.AdminClient(out var channel);
        using (channel)
        {
            await WriteRole(client);

            await postgres.StopAsync();
            // One role, so every write waits its turn on the same grain while the one before it retries.
            var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TimedWrite(client)));
            await postgres.StartAsync();

            Assert.All(answers, answer =>
            {
                Assert.Equal(StatusCode.Unavailable, answer.Status.StatusCode);
                Assert.Contains("try again", answer.Status.Detail, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", answer.Status.Detail, StringComparison.Ordinal);
                // The client repeats an Unavailable upsert until its deadline, then reports the server's answer.
                Assert.True(answer.Elapsed < Deadline + TimeSpan.FromSeconds(1), $"answered after {answer.Elapsed}: {answer.Status}");
            });
            await Eventually.Until(
                async () => (await TimedWrite(client)).Status.StatusCode == StatusCode.OK,
                TimeSpan.FromSeconds(30),
                "a write once PostgreSQL is back");
        }
    }

    private static async Task<(Status Status, TimeSpan Elapsed)> TimedWrite(AuthService.AuthServiceClient client)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await WriteRole(client);
            return (Status.DefaultSuccess, clock.Elapsed);
        }
        catch (RpcException ex)
        {
            return (ex.Status, clock.Elapsed);
        }
    }

    private static Task<CreateResourceResponse> WriteRole(AuthService.AuthServiceClient client) =>
        client.CreateResourceAsync(
            new CreateResourceRequest { Yaml = "kind: role\nversion: v7\nmetadata:\n  name: outage-writer\nspec:\n  allow:\n    logins: [outage]\n", Force = true },
            deadline: DateTime.UtcNow + Deadline).ResponseAsync;
}
