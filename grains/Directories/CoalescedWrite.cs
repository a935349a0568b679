namespace Teleport.Orleans.Grains.Directories;

/// <summary>
/// One write at a time, and every change made while one is in flight rides the next: a directory of n entries then
/// costs one whole-state write per batch of changes, not one per change (n joins in a row were O(n²) and timed out).
/// A caller's task completes when a write that started after its change has finished, and fails with that write.
/// </summary>
internal sealed class CoalescedWrite(Func<Task> write)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiting;
    private bool _writing;

    /// <summary>Asks for the state as it is now to be written; the task ends with the write that carries it.</summary>
    public Task Request()
    {
        bool start;
        Task carried;
        lock (_gate)
        {
            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            carried = _waiting.Task;
            start = !_writing;
            _writing = true;
        }

        if (start)
        {
            _ = DrainAsync();
        }

        return carried;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_waiting is null)
                {
                    _writing = false;
                    return;
                }

                batch = _waiting;
                _waiting = null;
            }

            try
            {
                await write();
                batch.SetResult();
            }
            catch (Exception error)
            {
                batch.SetException(error);
            }
        }
    }
}
