using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Concordat.Documents;

/// <summary>
/// Where an S3-compatible object store is (Concordat:Storage:S3). Without keys, the SDK's own chain finds credentials
/// (environment, instance role), so no secret need be written in a settings file.
/// </summary>
public sealed class S3StorageOptions
{
    public string? ServiceUrl { get; set; }
    public string Bucket { get; set; } = "";
    public string Region { get; set; } = "eu-west-2";
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    /// <summary>bucket in the path (https://host/bucket/key), as most S3-compatible servers need; AWS itself takes either.</summary>
    public bool ForcePathStyle { get; set; } = true;
    /// <summary>Keys start with this, so one bucket can hold other things too.</summary>
    public string Prefix { get; set; } = "blobs/";
    /// <summary>The node's local folder where an upload is written and hashed before it goes to the store.</summary>
    public string StagingFolder { get; set; } = Path.Combine(Path.GetTempPath(), "concordat-staging");
}

/// <summary>
/// Blobs in an S3-compatible object store, keyed by SHA-256 (prefix/ab/cd/sha) like the file system store. An upload is
/// staged and hashed on the node's own disk, as before, and put to the store only when committed; a blob is hashed again
/// as it is read, so a damaged object is refused. Staging files are the node's own and are swept like the file system's.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    readonly IAmazonS3 _s3;
    readonly S3StorageOptions _options;
    readonly FileSystemBlobStore _staging;

    public S3BlobStore(S3StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket)) throw new InvalidOperationException("Concordat:Storage:S3:Bucket must be set when Concordat:Storage:Provider is 's3'.");
        _options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Checksums only where S3 requires them: S3-compatible servers do not all take the SDK's newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl)) config.ServiceURL = options.ServiceUrl;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        _s3 = string.IsNullOrWhiteSpace(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        _staging = new FileSystemBlobStore(options.StagingFolder);
    }

    string KeyFor(string sha256)
    {
        if (!FileSystemBlobStore.IsValidSha256(sha256)) throw new ArgumentException("Not a SHA-256 in hex.", nameof(sha256));
        var sha = sha256.ToLowerInvariant();
        return $"{_options.Prefix}{sha[..2]}/{sha[2..4]}/{sha}";
    }

    public Task<StagedBlob> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken = default) =>
        _staging.StageAsync(source, maxBytes, cancellationToken);

    /// <summary>Nothing to make durable locally: the object store's put is the durable step.</summary>
    public Task FlushAsync(StagedBlob staged, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task CommitAsync(StagedBlob staged, CancellationToken cancellationToken = default)
    {
        if (staged.IsCommitted) return;
        // Put even when the same content is there already: the new date protects it from the sweeper's grace period until the
        // record that now points at it is saved (the file system store touches its file for the same reason).
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.Bucket, Key = KeyFor(staged.Sha256), FilePath = staged.TempPath, ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        }, cancellationToken);
        FileSystemBlobStore.TryDeleteFile(staged.TempPath);
        staged.MarkCommitted();
    }

    async Task<long?> SizeAsync(string key, CancellationToken ct)
    {
        try
        {
            return (await _s3.GetObjectMetadataAsync(_options.Bucket, key, ct)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object, copied to a local file that deletes itself when closed, after its bytes hash to the name asked for.</summary>
    public async Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var key = KeyFor(sha256);
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(_options.Bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"No blob {sha256} in the object store.");
        }
        Directory.CreateDirectory(_options.StagingFolder);
        var local = new FileStream(Path.Combine(_options.StagingFolder, $"{Guid.NewGuid():N}.read"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            using (response)
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await local.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (!string.Equals(actual, sha256.ToLowerInvariant(), StringComparison.Ordinal)) throw new BlobCorruptException(sha256.ToLowerInvariant(), actual);
            }
            local.Position = 0;
            return local;
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    /// <summary>The bucket answers a listing, and the local staging folder takes a write.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix, MaxKeys = 1 }, cancellationToken);
        await _staging.ProbeAsync(cancellationToken);
    }

    public bool Exists(string sha256) => SizeAsync(KeyFor(sha256), CancellationToken.None).GetAwaiter().GetResult() is not null;

    public IEnumerable<StoredBlob> ListAll()
    {
        string? token = null;
        do
        {
            var page = _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix, ContinuationToken = token })
                .GetAwaiter().GetResult();
            foreach (var o in page.S3Objects ?? [])
            {
                var name = o.Key[(o.Key.LastIndexOf('/') + 1)..];
                // Only keys this store writes: anything else in the bucket is not ours to sweep.
                if (FileSystemBlobStore.IsValidSha256(name) && o.Key == KeyFor(name))
                    yield return new StoredBlob(name, o.Size ?? 0, o.LastModified?.ToUniversalTime() ?? DateTime.UtcNow);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
    }

    public void Delete(string sha256) => _s3.DeleteObjectAsync(_options.Bucket, KeyFor(sha256)).GetAwaiter().GetResult();

    public int SweepTemp(TimeSpan olderThan) => _staging.SweepTemp(olderThan);

    public void Dispose() => _s3.Dispose();
}
