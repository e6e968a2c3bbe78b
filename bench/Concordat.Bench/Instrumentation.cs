using System.Data.Common;
using System.Diagnostics;
using Concordat.Documents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concordat.Bench;

/// <summary>
/// Where the time of the upload path goes, measured from outside FileUploader: the blob store is wrapped, EF Core
/// commands, SaveChanges and transaction commits are intercepted, and (over HTTP) the whole server-side request is
/// timed by a first middleware. Uploads run one at a time, so plain accumulators suffice.
/// </summary>
sealed class StageClock
{
    readonly Lock _gate = new();
    int _saveDepth;
    long _saveStart, _uploadStart;

    public bool Recording { get; set; }
    public TimeSpan BlobStage, BlobCommit, DbRead, DbSave, DbCommit, Server, Upload;
    public int ReadCommands, SaveCommands, Saves;

    public void Reset()
    {
        lock (_gate)
        {
            BlobStage = BlobCommit = DbRead = DbSave = DbCommit = Server = Upload = TimeSpan.Zero;
            ReadCommands = SaveCommands = Saves = 0;
        }
    }

    public void Add(ref TimeSpan bucket, TimeSpan elapsed)
    {
        if (!Recording) return;
        lock (_gate) bucket += elapsed;
    }

    public void Command(TimeSpan duration)
    {
        if (!Recording) return;
        lock (_gate)
        {
            if (_saveDepth > 0) SaveCommands++;
            else
            {
                DbRead += duration;
                ReadCommands++;
            }
        }
    }

    public void SaveStarted()
    {
        lock (_gate)
            if (_saveDepth++ == 0) _saveStart = Stopwatch.GetTimestamp();
    }

    public void SaveEnded()
    {
        lock (_gate)
        {
            if (--_saveDepth != 0 || !Recording) return;
            DbSave += Stopwatch.GetElapsedTime(_saveStart);
            Saves++;
        }
    }

    /// <summary>In-process pass: record only while FileUploader.UploadAsync runs.</summary>
    public void BeginUpload()
    {
        Recording = true;
        _uploadStart = Stopwatch.GetTimestamp();
    }

    public void EndUpload()
    {
        Add(ref Upload, Stopwatch.GetElapsedTime(_uploadStart));
        Recording = false;
    }
}

/// <summary>The app's own blob store with its two phases timed.</summary>
sealed class TimingBlobStore(IBlobStore inner, StageClock clock) : IBlobStore
{
    public async Task<StagedBlob> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await inner.StageAsync(source, maxBytes, cancellationToken); }
        finally { clock.Add(ref clock.BlobStage, Stopwatch.GetElapsedTime(start)); }
    }

    public async Task CommitAsync(StagedBlob staged, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try { await inner.CommitAsync(staged, cancellationToken); }
        finally { clock.Add(ref clock.BlobCommit, Stopwatch.GetElapsedTime(start)); }
    }

    public Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default) => inner.OpenVerifiedAsync(sha256, cancellationToken);
    public bool Exists(string sha256) => inner.Exists(sha256);
    public IEnumerable<StoredBlob> ListAll() => inner.ListAll();
    public void Delete(string sha256) => inner.Delete(sha256);
    public int SweepTemp(TimeSpan olderThan) => inner.SweepTemp(olderThan);
}

sealed class TimingCommandInterceptor(StageClock clock) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        clock.Command(eventData.Duration);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        clock.Command(eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        clock.Command(eventData.Duration);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        clock.Command(eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        clock.Command(eventData.Duration);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        clock.Command(eventData.Duration);
        return ValueTask.FromResult(result);
    }
}

sealed class TimingSaveChangesInterceptor(StageClock clock) : SaveChangesInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        clock.SaveStarted();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        clock.SaveStarted();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        clock.SaveEnded();
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        clock.SaveEnded();
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        clock.SaveEnded();
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => clock.SaveEnded();
}

/// <summary>The SQLite COMMIT (where the WAL is written and, with synchronous=FULL, fsynced).</summary>
sealed class TimingTransactionInterceptor(StageClock clock) : DbTransactionInterceptor
{
    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        clock.Add(ref clock.DbCommit, eventData.Duration);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        clock.Add(ref clock.DbCommit, eventData.Duration);
}

/// <summary>Times each upload request on the server, from the first middleware to the response.</summary>
sealed class ServerTimingStartupFilter(StageClock clock) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path.Value?.EndsWith("/documents", StringComparison.Ordinal) != true)
            {
                await nextMiddleware(context);
                return;
            }

            var start = Stopwatch.GetTimestamp();
            try { await nextMiddleware(context); }
            finally { clock.Add(ref clock.Server, Stopwatch.GetElapsedTime(start)); }
        });
        next(app);
    };
}
