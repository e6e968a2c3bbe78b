using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Concordat.Documents;

namespace Concordat.Tests.Support;

/// <summary>
/// A real S3-compatible server on loopback for the tests of the S3 blob store: s3rver (npm, in tests/s3rver, installed by
/// scripts/test.sh), with one bucket and its data in a temporary folder. It accepts its own fixed test keys only.
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string Bucket = "concordat";
    const string Key = "S3RVER";
    public string Url { get; }
    readonly Process _process;
    readonly string _data = Directory.CreateTempSubdirectory("concordat-s3-").FullName;

    public S3Server()
    {
        var script = Path.Combine(FindFolder("tests/s3rver"), "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) throw new InvalidOperationException($"s3rver is not installed: run `npm ci --prefix tests/s3rver` (scripts/test.sh does). Looked for {script}");
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _process = Process.Start(new ProcessStartInfo("node", [script, "-d", _data, "-a", "127.0.0.1", "-p", port.ToString(), "--silent", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        // Ready when the bucket answers: the server listens a moment before it has made the bucket.
        using var probe = Client();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; Thread.Sleep(100))
        {
            try
            {
                probe.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 }).GetAwaiter().GetResult();
                break;
            }
            catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or AmazonServiceException && DateTime.UtcNow < deadline && !_process.HasExited) { }
        }
    }

    /// <summary>The settings that put an app's blobs in this server.</summary>
    public Dictionary<string, string?> Settings(string stagingFolder) => new()
    {
        ["Concordat:Storage:Provider"] = "s3",
        ["Concordat:Storage:S3:ServiceUrl"] = Url,
        ["Concordat:Storage:S3:Bucket"] = Bucket,
        ["Concordat:Storage:S3:AccessKey"] = Key,
        ["Concordat:Storage:S3:SecretKey"] = Key,
        ["Concordat:Storage:S3:StagingFolder"] = stagingFolder,
    };

    public S3StorageOptions Options(string stagingFolder) => new()
    {
        ServiceUrl = Url, Bucket = Bucket, AccessKey = Key, SecretKey = Key, StagingFolder = stagingFolder,
    };

    /// <summary>A client of its own, for looking in the bucket behind the store's back.</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials(Key, Key), new AmazonS3Config
    {
        ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "eu-west-2",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string FindFolder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5000);
        _process.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
