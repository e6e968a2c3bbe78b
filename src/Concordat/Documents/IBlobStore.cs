namespace Concordat.Documents;

/// <summary>
/// Content-addressed storage for uploaded files. Uploads are two-phase: <see cref="StageAsync"/> writes
/// to a temporary file and <see cref="CommitAsync"/> moves it into place, so a rejected or failed upload
/// never leaves a blob behind.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="source"/> into a temporary file, hashing as it goes.
    /// Throws <see cref="FileTooLargeException"/> as soon as more than <paramref name="maxBytes"/> arrive.
    /// </summary>
    Task<StagedBlob> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the staged bytes durable on disk (fsync), so that <see cref="CommitAsync"/> only has to
    /// rename. The staged file stays readable meanwhile: callers overlap this with text extraction.
    /// </summary>
    Task FlushAsync(StagedBlob staged, CancellationToken cancellationToken = default);

    /// <summary>Makes a staged blob permanent. Identical content already stored is kept once.</summary>
    Task CommitAsync(StagedBlob staged, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a stored blob after checking it still hashes to <paramref name="sha256"/>.
    /// Throws <see cref="BlobCorruptException"/> if not, <see cref="FileNotFoundException"/> if absent.
    /// </summary>
    Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default);

    bool Exists(string sha256);

    IEnumerable<StoredBlob> ListAll();

    /// <summary>Removes a blob; does nothing if it is not there.</summary>
    void Delete(string sha256);

    /// <summary>Throws unless the store can be written and read now (for the readiness probe).</summary>
    Task ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes staging files older than <paramref name="olderThan"/> (left by crashes). Returns how many.</summary>
    int SweepTemp(TimeSpan olderThan);
}

/// <summary>A blob in the store.</summary>
public sealed record StoredBlob(string Sha256, long SizeBytes, DateTime LastWriteUtc);

/// <summary>
/// An upload written to a temporary file but not yet committed. Disposing it without committing
/// deletes the temporary file, so <c>await using</c> gives all-or-nothing uploads.
/// </summary>
public sealed class StagedBlob : IAsyncDisposable, IDisposable
{
    internal StagedBlob(string sha256, long sizeBytes, string tempPath)
    {
        Sha256 = sha256;
        SizeBytes = sizeBytes;
        TempPath = tempPath;
    }

    /// <summary>Lowercase hex SHA-256 of the content.</summary>
    public string Sha256 { get; }

    public long SizeBytes { get; }

    /// <summary>The temporary file, readable until commit or dispose (e.g. for type detection and text extraction).</summary>
    public string TempPath { get; }

    public bool IsCommitted { get; private set; }

    internal void MarkCommitted() => IsCommitted = true;

    /// <summary>True once the bytes have been flushed to disk.</summary>
    internal bool IsDurable { get; set; }

    public void Dispose()
    {
        if (!IsCommitted)
        {
            FileSystemBlobStore.TryDeleteFile(TempPath);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
