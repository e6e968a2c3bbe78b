using Microsoft.EntityFrameworkCore;

namespace Concordat.Data;

/// <summary>
/// Rows that several people change at once (a sign-off round, a template version's approvals, a departure's approvals)
/// carry a Revision concurrency token: a save that read the row before someone else's save changed it writes nothing and
/// fails. <see cref="RetryAsync{T}"/> then starts the attempt again from what is stored now, so both people's changes
/// count and the last signature still completes the round.
/// </summary>
public static class ConcurrentWrites
{
    public const int Tries = 5;

    /// <param name="attempt">loads what it changes and saves it; it must read everything afresh each time</param>
    public static async Task<T> RetryAsync<T>(ConcordatDb db, Func<Task<T>> attempt)
    {
        for (var tried = 1; ; tried++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateConcurrencyException) when (tried < Tries)
            {
                SerializedWrites.Abandon(db);
                db.ChangeTracker.Clear();
            }
        }
    }
}
