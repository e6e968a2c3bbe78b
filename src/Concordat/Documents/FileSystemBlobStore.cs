using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Concordat.Documents;

/// <summary>
/// Stores blobs as files named by their SHA-256 under <c>root/ab/cd/&lt;sha&gt;</c>; staging files live in <c>root/tmp</c>
/// so the final rename stays on one file system and is atomic.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const int BufferSize = 81920;
    private readonly string _root;
    private readonly string _tempDir;

    public FileSystemBlobStore(IOptions<DocumentOptions> options) : this(options.Value.BlobRoot) { }

    public FileSystemBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _tempDir = Path.Combine(_root, "tmp");
    }

    /// <summary>The absolute storage folder.</summary>
    public string Root => _root;

    /// <summary>True for exactly 64 hexadecimal characters; anything else could be a path trick.</summary>
    public static bool IsValidSha256(string? sha256) =>
        sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigit);

    public async Task<StagedBlob> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);

        Directory.CreateDirectory(_tempDir);
        var tempPath = Path.Combine(_tempDir, $"{Guid.NewGuid():N}.tmp");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            // CreateNew: never clobber another upload's staging file, however unlikely a GUID clash.
            // Synchronous file I/O: on Linux "asynchronous" file streams are emulated and cost more.
            await using (var target = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             BufferSize, FileOptions.None))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        // Stop reading at once: the client may be sending gigabytes.
                        throw new FileTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    target.Write(buffer, 0, read);
                }
            }

            return new StagedBlob(Convert.ToHexStringLower(hash.GetHashAndReset()), total, tempPath);
        }
        catch
        {
            TryDeleteFile(tempPath);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task FlushAsync(StagedBlob staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staged);
        if (staged.IsDurable || staged.IsCommitted) return Task.CompletedTask;
        return Task.Run(() =>
        {
            // FileShare.ReadWrite: a shared lock, so text extraction can read the file at the same time.
            using (var fs = new FileStream(staged.TempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                fs.Flush(flushToDisk: true);
            }
            staged.IsDurable = true;
        }, cancellationToken);
    }

    public Task CommitAsync(StagedBlob staged, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staged);
        if (staged.IsCommitted)
        {
            return Task.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var finalPath = PathFor(staged.Sha256);

        if (IsIntact(finalPath, staged.SizeBytes))
        {
            // Same hash, same content: keep the existing copy. Touch it, so the sweeper's grace period
            // protects it until the record that now points at it is saved.
            TryDeleteFile(staged.TempPath);
            File.SetLastWriteTimeUtc(finalPath, DateTime.UtcNow);
            staged.MarkCommitted();
            return Task.CompletedTask;
        }

        // Make the bytes durable before the rename publishes them, so a crash cannot leave
        // a correctly named blob with missing content.
        if (!staged.IsDurable)
        {
            using var fs = new FileStream(staged.TempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            fs.Flush(flushToDisk: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        try
        {
            // overwrite: true replaces a damaged copy (wrong size); rename within one volume is atomic.
            File.Move(staged.TempPath, finalPath, overwrite: true);
        }
        catch (IOException) when (IsIntact(finalPath, staged.SizeBytes))
        {
            // A concurrent upload of the same content won the race.
            TryDeleteFile(staged.TempPath);
        }

        staged.MarkCommitted();
        return Task.CompletedTask;
    }

    public async Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = PathFor(sha256);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (!string.Equals(actual, Normalise(sha256), StringComparison.Ordinal))
            {
                throw new BlobCorruptException(Normalise(sha256), actual);
            }

            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public bool Exists(string sha256) => File.Exists(PathFor(sha256));

    /// <summary>A one-byte staging write, dropped uncommitted.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        await using var staged = await StageAsync(new MemoryStream([0x2e]), 16, cancellationToken);
    }

    public IEnumerable<StoredBlob> ListAll()
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        // Only walk the two-level fan-out folders; tmp and anything foreign are ignored.
        foreach (var level1 in Directory.EnumerateDirectories(_root))
        {
            if (!IsFanOut(level1))
            {
                continue;
            }

            foreach (var level2 in Directory.EnumerateDirectories(level1))
            {
                if (!IsFanOut(level2))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(level2))
                {
                    var name = Path.GetFileName(file);
                    if (!IsValidSha256(name) || name != name.ToLowerInvariant() ||
                        !name.StartsWith(Path.GetFileName(level1) + Path.GetFileName(level2), StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var info = new FileInfo(file);
                    yield return new StoredBlob(name, info.Length, info.LastWriteTimeUtc);
                }
            }
        }

        static bool IsFanOut(string dir)
        {
            var name = Path.GetFileName(dir);
            return name.Length == 2 && name.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
        }
    }

    public void Delete(string sha256) => TryDeleteFile(PathFor(sha256), throwOnError: true);

    public int SweepTemp(TimeSpan olderThan)
    {
        if (!Directory.Exists(_tempDir))
        {
            return 0;
        }

        var cutoff = DateTime.UtcNow - olderThan;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(_tempDir))
        {
            // An upload in progress keeps touching its file, so the age test protects live uploads.
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDeleteFile(file))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private string PathFor(string sha256)
    {
        var sha = Normalise(sha256);
        return Path.Combine(_root, sha[..2], sha[2..4], sha);
    }

    private static string Normalise(string sha256)
    {
        if (!IsValidSha256(sha256))
        {
            throw new ArgumentException("A blob id must be 64 hexadecimal characters.", nameof(sha256));
        }

        return sha256.ToLowerInvariant();
    }

    private static bool IsIntact(string path, long expectedSize)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == expectedSize;
    }

    internal static bool TryDeleteFile(string path, bool throwOnError = false)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception e) when (!throwOnError && e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
