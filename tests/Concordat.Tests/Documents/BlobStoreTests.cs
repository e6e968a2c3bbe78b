using System.Security.Cryptography;
using System.Text;
using Concordat.Documents;

namespace Concordat.Tests.Documents;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FileSystemBlobStore _store;

    public BlobStoreTests() => _store = new FileSystemBlobStore(_dir.File("blobs"));

    public void Dispose() => _dir.Dispose();

    private static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private string[] TempFiles() =>
        Directory.Exists(Path.Combine(_store.Root, "tmp")) ? Directory.GetFiles(Path.Combine(_store.Root, "tmp")) : [];

    [Fact]
    public async Task Stage_then_commit_stores_content_under_its_hash()
    {
        await using var staged = await _store.StageAsync(Content("agreement v1"), 1024);

        Assert.Equal(Sha("agreement v1"), staged.Sha256);
        Assert.Equal(12, staged.SizeBytes);
        Assert.True(File.Exists(staged.TempPath));
        Assert.False(_store.Exists(staged.Sha256));

        await _store.CommitAsync(staged);

        Assert.True(_store.Exists(staged.Sha256));
        Assert.False(File.Exists(staged.TempPath));
        var expectedPath = Path.Combine(_store.Root, staged.Sha256[..2], staged.Sha256[2..4], staged.Sha256);
        Assert.Equal("agreement v1", await File.ReadAllTextAsync(expectedPath));
    }

    [Fact]
    public async Task A_staged_file_can_be_flushed_while_it_is_being_read_then_committed()
    {
        await using var staged = await _store.StageAsync(Content("flushed while read"), 1024);
        await using (var reader = new FileStream(staged.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            await _store.FlushAsync(staged);
            Assert.Equal("flushed while read", await new StreamReader(reader).ReadToEndAsync());
        }

        await _store.CommitAsync(staged);

        await using var stored = await _store.OpenVerifiedAsync(staged.Sha256);
        Assert.Equal("flushed while read", await new StreamReader(stored).ReadToEndAsync());
    }

    [Fact]
    public async Task Identical_content_is_stored_once()
    {
        await using (var first = await _store.StageAsync(Content("same bytes"), 1024))
        {
            await _store.CommitAsync(first);
        }

        await using (var second = await _store.StageAsync(Content("same bytes"), 1024))
        {
            await _store.CommitAsync(second);
            Assert.False(File.Exists(second.TempPath));
        }

        var all = _store.ListAll().ToList();
        var blob = Assert.Single(all);
        Assert.Equal(Sha("same bytes"), blob.Sha256);
        Assert.Equal(10, blob.SizeBytes);
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task Disposing_an_uncommitted_stage_deletes_the_temp_file()
    {
        string tempPath;
        await using (var staged = await _store.StageAsync(Content("abandoned"), 1024))
        {
            tempPath = staged.TempPath;
            Assert.True(File.Exists(tempPath));
        }

        Assert.False(File.Exists(tempPath));
        Assert.Empty(_store.ListAll());
    }

    [Fact]
    public async Task Verified_read_returns_content_from_the_start()
    {
        await using var staged = await _store.StageAsync(Content("verified content"), 1024);
        await _store.CommitAsync(staged);

        await using var stream = await _store.OpenVerifiedAsync(staged.Sha256);

        Assert.Equal(0, stream.Position);
        Assert.Equal("verified content", await new StreamReader(stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Verified_read_detects_tampering()
    {
        await using var staged = await _store.StageAsync(Content("original terms"), 1024);
        await _store.CommitAsync(staged);
        var path = Path.Combine(_store.Root, staged.Sha256[..2], staged.Sha256[2..4], staged.Sha256);
        await File.WriteAllTextAsync(path, "modified terms");

        var error = await Assert.ThrowsAsync<BlobCorruptException>(() => _store.OpenVerifiedAsync(staged.Sha256));

        Assert.Equal(staged.Sha256, error.ExpectedSha256);
        Assert.Equal(Sha("modified terms"), error.ActualSha256);
    }

    [Fact]
    public async Task Upload_over_the_limit_is_refused_and_leaves_nothing()
    {
        // A stream longer than the limit; the store must stop at limit + one buffer, not read it all.
        var source = new MemoryStream(new byte[5 * 1024 * 1024]);

        var error = await Assert.ThrowsAsync<FileTooLargeException>(() => _store.StageAsync(source, 1024 * 1024));

        Assert.Equal(1024 * 1024, error.MaxBytes);
        Assert.True(source.Position < 2 * 1024 * 1024);
        Assert.Empty(TempFiles());
        Assert.Empty(_store.ListAll());
    }

    [Fact]
    public async Task Upload_of_exactly_the_limit_is_accepted()
    {
        await using var staged = await _store.StageAsync(new MemoryStream(new byte[4096]), 4096);

        Assert.Equal(4096, staged.SizeBytes);
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("g000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("../00000000000000000000000000000000000000000000000000000000000000")]
    public async Task Invalid_ids_are_rejected(string sha)
    {
        Assert.Throws<ArgumentException>(() => _store.Exists(sha));
        Assert.Throws<ArgumentException>(() => _store.Delete(sha));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenVerifiedAsync(sha));
    }

    [Fact]
    public async Task Uppercase_ids_refer_to_the_same_blob()
    {
        await using var staged = await _store.StageAsync(Content("case"), 1024);
        await _store.CommitAsync(staged);

        Assert.True(_store.Exists(staged.Sha256.ToUpperInvariant()));
    }

    [Fact]
    public async Task Delete_removes_the_blob()
    {
        await using var staged = await _store.StageAsync(Content("to delete"), 1024);
        await _store.CommitAsync(staged);

        _store.Delete(staged.Sha256);
        _store.Delete(staged.Sha256); // idempotent

        Assert.False(_store.Exists(staged.Sha256));
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenVerifiedAsync(staged.Sha256));
    }

    [Fact]
    public async Task Sweep_deletes_only_stale_temp_files()
    {
        var stale = await _store.StageAsync(Content("crashed upload"), 1024);
        var fresh = await _store.StageAsync(Content("upload in progress"), 1024);
        File.SetLastWriteTimeUtc(stale.TempPath, DateTime.UtcNow.AddHours(-3));

        var swept = _store.SweepTemp(TimeSpan.FromHours(1));

        Assert.Equal(1, swept);
        Assert.False(File.Exists(stale.TempPath));
        Assert.True(File.Exists(fresh.TempPath));
        fresh.Dispose();
        stale.Dispose();
        Assert.Equal(0, _store.SweepTemp(TimeSpan.Zero));
    }

    [Fact]
    public void Sweep_and_list_on_a_new_store_find_nothing()
    {
        Assert.Equal(0, _store.SweepTemp(TimeSpan.Zero));
        Assert.Empty(_store.ListAll());
    }
}
