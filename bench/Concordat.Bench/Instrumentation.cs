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
    long _saveStart, _sampleStart, _firstStage, _lastSaveEnd, _lastCommand;
    Buckets _atSampleStart;
    TimeSpan _readsAtFirstStage;

    public bool Recording { get; set; }
    public TimeSpan BlobStage, BlobFlush, BlobCommit, DbRead, DbSave, DbCommit, Server, Upload, PairedRaw;
    /// <summary>Per request, split at FileUploader's first step (staging) and its last (SaveChanges).</summary>
    public TimeSpan BeforeUploader, ReadsBeforeUploader, InUploader, AfterUploader;
    /// <summary>From the last query before FileUploader (the agreement load) to its first step: mostly ReadFormAsync.</summary>
    public TimeSpan FormRead;
    public int ReadCommands, SaveCommands, Saves;

    /// <summary>Per-upload figures (ms), for the spread of the fixed costs.</summary>
    public List<UploadSample> Samples { get; } = [];

    public sealed record UploadSample(double Total, double Stage, double Reads, double Commit, double Save, double SqliteCommit, double Flush);

    readonly record struct Buckets(TimeSpan Stage, TimeSpan Reads, TimeSpan Commit, TimeSpan Save, TimeSpan SqliteCommit, TimeSpan Flush);

    Buckets Now() => new(BlobStage, DbRead, BlobCommit, DbSave, DbCommit, BlobFlush);

    public void Reset()
    {
        lock (_gate)
        {
            BlobStage = BlobFlush = BlobCommit = DbRead = DbSave = DbCommit = Server = Upload = PairedRaw = TimeSpan.Zero;
            BeforeUploader = ReadsBeforeUploader = InUploader = AfterUploader = FormRead = TimeSpan.Zero;
            ReadCommands = SaveCommands = Saves = 0;
            Samples.Clear();
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
            _lastCommand = Stopwatch.GetTimestamp();
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
            _lastSaveEnd = Stopwatch.GetTimestamp();
            DbSave += Stopwatch.GetElapsedTime(_saveStart, _lastSaveEnd);
            Saves++;
        }
    }

    /// <summary>In-process pass: record only while FileUploader.UploadAsync runs.</summary>
    public void BeginUpload()
    {
        Recording = true;
        BeginSample();
    }

    public void EndUpload()
    {
        EndSample(ref Upload);
        Recording = false;
    }

    /// <summary>Starts one upload's sample (the HTTP pass calls this from its first middleware).</summary>
    public void BeginSample()
    {
        lock (_gate)
        {
            _atSampleStart = Now();
            _sampleStart = Stopwatch.GetTimestamp();
            _firstStage = _lastSaveEnd = _lastCommand = 0;
        }
    }

    /// <summary>FileUploader has started: it stages the blob first.</summary>
    public void StageStarting()
    {
        lock (_gate)
        {
            if (_firstStage != 0) return;
            _firstStage = Stopwatch.GetTimestamp();
            _readsAtFirstStage = DbRead;
            if (Recording && _lastCommand > _sampleStart) FormRead += Stopwatch.GetElapsedTime(_lastCommand, _firstStage);
        }
    }

    public void EndSample(ref TimeSpan totalBucket)
    {
        if (!Recording) return;
        lock (_gate)
        {
            var end = Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(_sampleStart, end);
            totalBucket += elapsed;
            if (_firstStage != 0 && _lastSaveEnd > _firstStage)
            {
                BeforeUploader += Stopwatch.GetElapsedTime(_sampleStart, _firstStage);
                ReadsBeforeUploader += _readsAtFirstStage - _atSampleStart.Reads;
                InUploader += Stopwatch.GetElapsedTime(_firstStage, _lastSaveEnd);
                AfterUploader += Stopwatch.GetElapsedTime(_lastSaveEnd, end);
            }
            var now = Now();
            Samples.Add(new UploadSample(elapsed.TotalMilliseconds, (now.Stage - _atSampleStart.Stage).TotalMilliseconds,
                (now.Reads - _atSampleStart.Reads).TotalMilliseconds, (now.Commit - _atSampleStart.Commit).TotalMilliseconds,
                (now.Save - _atSampleStart.Save).TotalMilliseconds, (now.SqliteCommit - _atSampleStart.SqliteCommit).TotalMilliseconds,
                (now.Flush - _atSampleStart.Flush).TotalMilliseconds));
        }
    }
}

/// <summary>The app's own blob store with its two phases timed.</summary>
sealed class TimingBlobStore(IBlobStore inner, StageClock clock) : IBlobStore
{
    public async Task<StagedBlob> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken = default)
    {
        clock.StageStarting();
        var start = Stopwatch.GetTimestamp();
        try { return await inner.StageAsync(source, maxBytes, cancellationToken); }
        finally { clock.Add(ref clock.BlobStage, Stopwatch.GetElapsedTime(start)); }
    }

    /// <summary>The fsync FileUploader starts before extracting and awaits after: timed start to finish, though it overlaps extraction.</summary>
    public async Task FlushAsync(StagedBlob staged, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try { await inner.FlushAsync(staged, cancellationToken); }
        finally { clock.Add(ref clock.BlobFlush, Stopwatch.GetElapsedTime(start)); }
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
    public Task ProbeAsync(CancellationToken ct = default) => inner.ProbeAsync(ct);
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

            clock.BeginSample();
            try { await nextMiddleware(context); }
            finally { clock.EndSample(ref clock.Server); }
        });
        next(app);
    };
}

/// <summary>What-if experiments: runs a PRAGMA on every connection the app opens.</summary>
sealed class SqlitePragmaInterceptor(string pragma) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
