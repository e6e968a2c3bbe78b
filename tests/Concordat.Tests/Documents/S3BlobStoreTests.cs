using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Documents;
using Concordat.Import;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Documents;

/// <summary>The S3 blob store against a real S3-compatible server on loopback: the same promises as the file system store.</summary>
public sealed class S3BlobStoreTests(S3Server s3) : IClassFixture<S3Server>, IDisposable
{
    readonly string _staging = Directory.CreateTempSubdirectory("concordat-s3-staging-").FullName;

    public void Dispose() => Directory.Delete(_staging, recursive: true);

    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task A_committed_blob_is_stored_once_under_its_hash_read_back_verified_listed_and_deleted()
    {
        using var store = new S3BlobStore(s3.Options(_staging));
        var content = "An agreement kept in an object store."u8.ToArray();
        var sha = Sha(content);
        for (var copy = 0; copy < 2; copy++) // the same content twice is one object
        {
            await using var staged = await store.StageAsync(new MemoryStream(content), 1024);
            Assert.Equal(sha, staged.Sha256);
            Assert.False(store.Exists(sha) && copy == 0, "nothing is in the store before the commit");
            await store.CommitAsync(staged);
            Assert.False(File.Exists(staged.TempPath), "the staging file is gone once committed");
        }
        Assert.True(store.Exists(sha));
        Assert.True(store.Exists(sha.ToUpperInvariant()));
        await using (var read = await store.OpenVerifiedAsync(sha))
        using (var copy = new MemoryStream())
        {
            await read.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }
        Assert.Equal([(sha, (long)content.Length)], store.ListAll().Where(b => b.Sha256 == sha).Select(b => (b.Sha256, b.SizeBytes)));

        store.Delete(sha);
        Assert.False(store.Exists(sha));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenVerifiedAsync(sha));
        Assert.Empty(Directory.GetFiles(_staging, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_object_changed_in_the_bucket_is_refused_when_read()
    {
        using var store = new S3BlobStore(s3.Options(_staging));
        var content = "The wording as signed."u8.ToArray();
        await using (var staged = await store.StageAsync(new MemoryStream(content), 1024)) await store.CommitAsync(staged);
        var sha = Sha(content);
        using var client = s3.Client();
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = S3Server.Bucket, Key = $"blobs/{sha[..2]}/{sha[2..4]}/{sha}", ContentBody = "The wording as changed.", UseChunkEncoding = false,
        });

        await Assert.ThrowsAsync<BlobCorruptException>(() => store.OpenVerifiedAsync(sha));
        Assert.Empty(Directory.GetFiles(_staging, "*", SearchOption.AllDirectories)); // the copy read back is not left behind
    }

    [Fact]
    public async Task An_upload_over_the_limit_leaves_nothing_anywhere()
    {
        using var store = new S3BlobStore(s3.Options(_staging));
        await Assert.ThrowsAsync<FileTooLargeException>(() => store.StageAsync(new MemoryStream(new byte[2048]), 1024));
        Assert.Empty(Directory.GetFiles(_staging, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(store.ListAll(), b => b.Sha256 == Sha(new byte[2048]));
    }
}

/// <summary>The whole app with its files in the object store: upload, search, download, and the sweeper's accounting.</summary>
public sealed class S3AppTests : IClassFixture<S3Server>, IDisposable
{
    readonly S3Server _s3;
    readonly S3App _app;

    public S3AppTests(S3Server s3)
    {
        _s3 = s3;
        _app = new S3App(s3);
    }

    public void Dispose() => _app.Dispose();

    sealed class S3App(S3Server s3) : ConcordatFactory
    {
        protected override IDictionary<string, string?> Settings => s3.Settings(Path.Combine(Root, "s3-staging"));
    }

    [Fact]
    public async Task An_agreement_uploaded_is_kept_in_the_bucket_found_by_search_and_downloaded_intact()
    {
        using var api = await _app.AdminApiAsync();
        var id = (await _app.CreateAgreementAsync(api, await _app.CompleteRecordAsync("Kept in the object store")))["id"]!.GetValue<int>();
        var pdf = Support.Fixtures.Pdf("wallaby");
        var uploaded = await ConcordatFactory.UploadAsync(api, id, pdf, "wallaby.pdf");
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);

        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        using var client = _s3.Client();
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = $"blobs/{sha[..2]}/" });
        Assert.Contains(listed.S3Objects ?? [], o => o.Key == $"blobs/{sha[..2]}/{sha[2..4]}/{sha}" && o.Size == pdf.Length);
        Assert.Empty(_app.StoredBlobs()); // nothing in the local blob folder

        var found = await api.GetFromJsonAsync<JsonObject>("/api/v1/search?q=wallaby");
        Assert.Equal(["Kept in the object store"], found!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        var agreement = await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}");
        var download = agreement!["files"]!.AsArray().Single()!["versions"]!.AsArray().Single()!["contentUrl"]!.GetValue<string>();
        Assert.Equal(pdf, await api.GetByteArrayAsync(download));

        // An object no record refers to goes at the sweep (grace zero here); the agreement's stays.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = $"blobs/00/00/{new string('0', 64)}", ContentBody = "orphan", UseChunkEncoding = false });
        Assert.Equal(1, await _app.Services.GetRequiredService<BlobSweeper>().SweepAsync(TimeSpan.Zero, CancellationToken.None));
        var after = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = "blobs/" });
        Assert.DoesNotContain(after.S3Objects ?? [], o => o.Key.EndsWith(new string('0', 64)));
        Assert.Contains(after.S3Objects ?? [], o => o.Key.EndsWith(sha));
    }

    [Fact]
    public async Task An_import_waits_in_the_bucket_between_its_check_and_its_run()
    {
        const string editor = "s3-importer@lfb.example";
        await _app.AddPersonAsync(editor, "London Fire Brigade", Concordat.Organisations.OrganisationRole.Editor);
        using var client = await _app.SignInAsync(editor);
        var check = await Import.ImportPageTests.UploadAsync(client, ImportFolder.Zip("Imported through the bucket", 2));
        Assert.Equal("2", Import.ImportPageTests.Summary(check, "To add"));
        var zip = await _app.InDatabaseAsync(db => db.StagedImports.Select(s => s.Sha256).SingleAsync());
        using var s3 = _s3.Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = $"blobs/{zip[..2]}/{zip[2..4]}/" });
        Assert.Contains(listed.S3Objects ?? [], o => o.Key.EndsWith(zip));

        var done = await Import.ImportPageTests.RunAsync(client, check);
        Assert.Equal("Import finished", done.QuerySelector("h1")!.TextContent);
        Assert.Equal(2, await _app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title.StartsWith("Imported through the bucket"))));
        Assert.Equal(0, await _app.InDatabaseAsync(db => db.StagedImports.CountAsync()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_app.ImportScratchFolder));
        Assert.Empty(_app.StoredBlobs());
    }
}
