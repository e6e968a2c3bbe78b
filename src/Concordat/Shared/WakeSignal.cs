namespace Concordat.Shared;

/// <summary>
/// Wakes a background loop when there may be work for it, so it need not poll fast: raised any number of times, it wakes
/// the loop once. Each loop has its own subclass, so each is its own singleton.
/// </summary>
public abstract class WakeSignal
{
    readonly SemaphoreSlim _raised = new(0, 1);

    public void Raise()
    {
        try { _raised.Release(); } catch (SemaphoreFullException) { /* already raised */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _raised.WaitAsync(timeout, ct);
}
