using Teleport.Orleans.Grains.Directories;

namespace Teleport.Orleans.Grains.Tests.Directories;

public sealed class CoalescedWriteTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Changes_made_during_a_write_share_the_next_write()
    {
        var storage = new GatedStorage();
        var write = new CoalescedWrite(storage.WriteAsync);

        var first = write.Request();
        await storage.Started(1).WaitAsync(Patience);
        var later = Enumerable.Range(0, 50).Select(_ => write.Request()).ToArray();

        Assert.All(later, task => Assert.False(task.IsCompleted));
        storage.Finish(1);
        await first.WaitAsync(Patience);
        await storage.Started(2).WaitAsync(Patience);
        Assert.All(later, task => Assert.False(task.IsCompleted));

        storage.Finish(2);
        await Task.WhenAll(later).WaitAsync(Patience);
        Assert.Equal(2, storage.Writes);
    }

    [Fact]
    public async Task A_failed_write_fails_only_the_changes_it_carried()
    {
        var storage = new GatedStorage();
        var write = new CoalescedWrite(storage.WriteAsync);

        var failing = write.Request();
        await storage.Started(1).WaitAsync(Patience);
        var next = write.Request();
        storage.Fail(1, new TimeoutException("backend did not answer"));

        await Assert.ThrowsAsync<TimeoutException>(() => failing.WaitAsync(Patience));
        await storage.Started(2).WaitAsync(Patience);
        storage.Finish(2);
        await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_request_after_the_writes_end_starts_a_new_write()
    {
        var storage = new GatedStorage();
        var write = new CoalescedWrite(storage.WriteAsync);

        var first = write.Request();
        await storage.Started(1).WaitAsync(Patience);
        storage.Finish(1);
        await first.WaitAsync(Patience);

        var second = write.Request();
        await storage.Started(2).WaitAsync(Patience);
        storage.Finish(2);
        await second.WaitAsync(Patience);
        Assert.Equal(2, storage.Writes);
    }

    /// <summary>A store whose n-th write starts when asked and ends when the test says.</summary>
    private sealed class GatedStorage
    {
        private readonly Lock _gate = new();
        private readonly List<TaskCompletionSource> _started = [];
        private readonly List<TaskCompletionSource> _done = [];

        public int Writes { get; private set; }

        public Task WriteAsync()
        {
            lock (_gate)
            {
                Writes++;
                Started(Writes);
                _started[Writes - 1].SetResult();
                return Done(Writes).Task;
            }
        }

        public Task Started(int n)
        {
            lock (_gate)
            {
                while (_started.Count < n)
                {
                    _started.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                return _started[n - 1].Task;
            }
        }

        public void Finish(int n) => Done(n).SetResult();

        public void Fail(int n, Exception error) => Done(n).SetException(error);

        private TaskCompletionSource Done(int n)
        {
            lock (_gate)
            {
                while (_done.Count < n)
                {
                    _done.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                return _done[n - 1];
            }
        }
    }
}
