using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Agreements;

/// <summary>The app with a 2 MB upload limit, so the size checks are cheap to exercise.</summary>
public sealed class SmallUploadLimitFactory : ConcordatFactory
{
    public const int LimitBytes = 2 * 1024 * 1024;
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Concordat:Documents:MaxUploadBytes"] = LimitBytes.ToString(),
        ["Concordat:Documents:MaxExpandedBytes"] = (20 * 1024 * 1024).ToString(),
    };
}

public sealed class UploadTests(SmallUploadLimitFactory app) : IClassFixture<SmallUploadLimitFactory>
{
    async Task<(HttpClient Api, int Id)> NewAgreementAsync(string title)
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title, leadOrganisationId = await app.OrganisationIdAsync("London Fire Brigade") });
        return (api, created["id"]!.GetValue<int>());
    }

    async Task<int> VersionCountAsync(HttpClient api, int id) =>
        (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!["files"]!.AsArray().Sum(f => f!["versions"]!.AsArray().Count);

    [Theory]
    [InlineData("pdf", "application/pdf")]
    [InlineData("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("odt", "application/vnd.oasis.opendocument.text")]
    [InlineData("html", "text/html")]
    [InlineData("md", "text/markdown")]
    [InlineData("txt", "text/plain")]
    public async Task Each_accepted_format_is_stored_with_its_text_and_downloads_byte_for_byte(string format, string mediaType)
    {
        var (api, id) = await NewAgreementAsync($"Format {format}");
        var marker = $"kingfisher{format}";
        var bytes = format switch
        {
            "pdf" => Fixtures.Pdf(marker),
            "docx" => Fixtures.Docx(marker),
            "odt" => Fixtures.Odt($"The purpose is {marker}."),
            "html" => Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><head><title>t</title><script>var hidden = 'scriptword';</script></head><body><h1>Agreement</h1><p>The purpose is {marker}.</p></body></html>"),
            "md" => Encoding.UTF8.GetBytes($"# Agreement\n\nThe purpose is {marker}.\n"),
            _ => Encoding.UTF8.GetBytes($"Agreement\n\nThe purpose is {marker}.\n"),
        };
        // The name says nothing true about the type: it is decided by the content.
        var response = await ConcordatFactory.UploadAsync(api, id, bytes, $"upload.{(format == "md" ? "md" : "bin")}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var doc = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(mediaType, doc["mediaType"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), doc["sha256"]!.GetValue<string>());
        Assert.Equal(bytes.Length, doc["sizeBytes"]!.GetValue<long>());
        Assert.True(doc["hasText"]!.GetValue<bool>());
        if (format == "pdf") Assert.Equal(2, doc["pageCount"]!.GetValue<int>());

        var content = await api.GetAsync(doc["contentUrl"]!.GetValue<string>());
        Assert.Equal(bytes, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", content.Content.Headers.ContentDisposition!.DispositionType);
        var text = await api.GetStringAsync(doc["textUrl"]!.GetValue<string>());
        Assert.Contains(marker, text);
        Assert.DoesNotContain("scriptword", text);
    }

    [Theory]
    [InlineData("exe", "renamed.pdf")]
    [InlineData("png", "scan.png")]
    [InlineData("zip", "bundle.docx")]
    public async Task Unsupported_files_are_refused_with_415_and_the_accepted_types(string what, string name)
    {
        var (api, id) = await NewAgreementAsync($"Unsupported {what}");
        var blobsBefore = app.StoredBlobs().Length;
        var bytes = what switch { "exe" => Fixtures.Exe(), "png" => Fixtures.Png(), _ => Fixtures.PlainZip() };

        var response = await ConcordatFactory.UploadAsync(api, id, bytes, name);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("PDF", problem["detail"]!.GetValue<string>());
        Assert.Contains("Word document (DOCX)", problem["detail"]!.GetValue<string>());
        Assert.Equal(0, await VersionCountAsync(api, id));
        Assert.Equal(blobsBefore, app.StoredBlobs().Length);
    }

    [Fact]
    public async Task A_corrupt_pdf_is_422_and_nothing_is_stored()
    {
        var (api, id) = await NewAgreementAsync("Corrupt PDF");
        var pdf = Fixtures.Pdf("truncated", pages: 3);
        var blobsBefore = app.StoredBlobs().Length;

        var response = await ConcordatFactory.UploadAsync(api, id, pdf[..(pdf.Length / 3)], "broken.pdf");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, await VersionCountAsync(api, id));
        Assert.Equal(blobsBefore, app.StoredBlobs().Length);
        Assert.Empty(Directory.Exists(Path.Combine(app.BlobRoot, "tmp")) ? Directory.GetFiles(Path.Combine(app.BlobRoot, "tmp")) : []);
    }

    [Fact]
    public async Task A_pdf_bomb_is_422_nothing_is_stored_and_the_refusal_is_logged_without_the_files_name()
    {
        var (api, id) = await NewAgreementAsync("PDF bomb");
        var bomb = Concordat.Tests.Documents.Fixtures.PdfBomb(64 * 1024 * 1024);
        var blobsBefore = app.StoredBlobs().Length;

        var response = await ConcordatFactory.UploadAsync(api, id, bomb, "residents-at-risk.pdf");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("unpacks to more than 20 MB", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(0, await VersionCountAsync(api, id));
        Assert.Equal(blobsBefore, app.StoredBlobs().Length);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bomb));
        var logged = Assert.Single(app.Logs.Entries, e => e.Message.Contains(hash));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Contains("Upload refused with 422", logged.Message);
        Assert.DoesNotContain("residents-at-risk", logged.Message);
    }

    [Fact]
    public async Task A_word_97_2003_file_is_stored_as_sent_with_its_text_searchable()
    {
        var (api, id) = await NewAgreementAsync("Legacy Word file");
        using var dir = new Concordat.Tests.Documents.TempDirectory();
        var rtf = dir.File("toolkit.rtf");
        await File.WriteAllBytesAsync(rtf, Concordat.Tests.Documents.Fixtures.Rtf("Safeguarding partnership toolkit", "Shared with the partnership: merlin"));
        var bytes = await File.ReadAllBytesAsync(Concordat.Tests.Documents.Fixtures.ConvertWithLibreOffice(rtf, "doc"));

        var response = await ConcordatFactory.UploadAsync(api, id, bytes, "Information sharing agreement.doc");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("application/msword", document["mediaType"]!.GetValue<string>());
        Assert.Equal("Information sharing agreement.doc", document["fileName"]!.GetValue<string>());
        Assert.True(document["hasText"]!.GetValue<bool>());
        Assert.Equal(bytes, await api.GetByteArrayAsync(document["contentUrl"]!.GetValue<string>()));
        Assert.Contains("Shared with the partnership: merlin", await api.GetStringAsync(document["textUrl"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_corrupt_docx_is_422()
    {
        var (api, id) = await NewAgreementAsync("Corrupt DOCX");
        var docx = Fixtures.Docx("broken");
        var response = await ConcordatFactory.UploadAsync(api, id, docx[..(docx.Length - 200)], "broken.docx");
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnsupportedMediaType });
        Assert.Equal(0, await VersionCountAsync(api, id));
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var (api, id) = await NewAgreementAsync("Empty file");
        var response = await ConcordatFactory.UploadAsync(api, id, [], "empty.pdf");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("empty", (await response.Content.ReadAsStringAsync()).ToLowerInvariant());
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_without_reading_it_all()
    {
        var (api, id) = await NewAgreementAsync("Zip bomb");
        var bomb = Fixtures.ZipBombDocx(200L * 1024 * 1024);
        Assert.True(bomb.Length < SmallUploadLimitFactory.LimitBytes, $"the bomb should fit under the upload limit ({bomb.Length} bytes)");

        var response = await ConcordatFactory.UploadAsync(api, id, bomb, "bomb.docx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, await VersionCountAsync(api, id));
    }

    [Fact]
    public async Task A_file_declared_larger_than_the_limit_is_refused_with_413_before_it_is_read()
    {
        var (api, id) = await NewAgreementAsync("Too large");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{id}/documents")
        {
            // A body that would fail if anything tried to read it: the answer must come from the header alone.
            Content = new UnreadableContent(SmallUploadLimitFactory.LimitBytes * 4L),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data") { Parameters = { new("boundary", "x") } };

        var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_file_just_over_the_limit_inside_a_small_enough_form_is_refused_with_413()
    {
        var (api, id) = await NewAgreementAsync("Just too large");
        var bytes = Encoding.UTF8.GetBytes(new string('a', SmallUploadLimitFactory.LimitBytes + 10));
        var response = await ConcordatFactory.UploadAsync(api, id, bytes, "big.txt");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await VersionCountAsync(api, id));
    }

    [Fact]
    public async Task Hostile_file_names_are_stored_safely_and_shown_escaped()
    {
        var (api, id) = await NewAgreementAsync("Hostile names");
        var name = "../../etc/<script>alert(1)</script>\u0007" + new string('x', 300) + ".txt";

        var response = await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("plain words"), name);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = (await response.Content.ReadFromJsonAsync<JsonObject>())!["fileName"]!.GetValue<string>();
        Assert.DoesNotContain("/", stored);
        Assert.DoesNotContain("..", stored);
        Assert.DoesNotContain(stored, char.IsControl);
        Assert.True(stored.Length <= 150, $"name kept at {stored.Length} characters");
        Assert.EndsWith(".txt", stored);
        var signedIn = await app.SignedInClientAsync();
        var html = await (await signedIn.GetAsync($"/agreements/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)", html);
    }

    [Fact]
    public async Task Identical_files_are_stored_once_and_a_new_version_keeps_the_old_one()
    {
        var (api, id) = await NewAgreementAsync("Versions");
        var first = Fixtures.Pdf("version one");
        var firstDoc = (await (await ConcordatFactory.UploadAsync(api, id, first, "v1.pdf")).Content.ReadFromJsonAsync<JsonObject>())!;
        var blobs = app.StoredBlobs().Length;

        var again = await ConcordatFactory.UploadAsync(api, id, first, "copy.pdf", kind: "appendix");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(blobs, app.StoredBlobs().Length);

        var fileId = firstDoc["fileId"]!.GetValue<int>();
        var second = await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf("version two"), "v2.pdf", path: $"/api/v1/agreements/{id}/documents/{fileId}/versions");
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());

        var record = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!;
        var versions = record["files"]!.AsArray().Single(f => f!["id"]!.GetValue<int>() == fileId)!["versions"]!.AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(first, await api.GetByteArrayAsync(versions[1]!["contentUrl"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_stored_file_that_was_altered_on_disk_is_never_served()
    {
        var (api, id) = await NewAgreementAsync("Tampered");
        var doc = (await (await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("original words of the agreement"), "t.txt")).Content.ReadFromJsonAsync<JsonObject>())!;
        var sha = doc["sha256"]!.GetValue<string>();
        var path = app.StoredBlobs().Single(f => Path.GetFileName(f) == sha);
        File.WriteAllText(path, "altered words of the agreement");

        var response = await api.GetAsync(doc["contentUrl"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("altered", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Guessing_a_file_id_of_a_draft_gives_404_to_the_public()
    {
        var (api, id) = await NewAgreementAsync("Draft file");
        var doc = (await (await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("draft words"), "d.txt")).Content.ReadFromJsonAsync<JsonObject>())!;
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(doc["contentUrl"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(doc["textUrl"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/files/{doc["id"]}")).StatusCode);
    }

    [Fact]
    public async Task The_sweep_removes_a_blob_left_by_a_crash_and_keeps_referenced_ones()
    {
        var (api, id) = await NewAgreementAsync("Sweep");
        var kept = (await (await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("kept words"), "k.txt")).Content.ReadFromJsonAsync<JsonObject>())!["sha256"]!.GetValue<string>();
        // A crash between the blob commit and the database save leaves exactly this: a blob nobody points at.
        var orphanBytes = Encoding.UTF8.GetBytes("orphaned by a crash");
        var orphan = Convert.ToHexStringLower(SHA256.HashData(orphanBytes));
        var orphanPath = Path.Combine(app.BlobRoot, orphan[..2], orphan[2..4], orphan);
        Directory.CreateDirectory(Path.GetDirectoryName(orphanPath)!);
        File.WriteAllBytes(orphanPath, orphanBytes);
        File.SetLastWriteTimeUtc(orphanPath, DateTime.UtcNow.AddHours(-2));

        var removed = await app.Services.GetRequiredService<BlobSweeper>().SweepAsync(BlobSweeper.Grace, CancellationToken.None);

        Assert.True(removed >= 1);
        Assert.False(File.Exists(orphanPath));
        Assert.Contains(app.StoredBlobs(), f => Path.GetFileName(f) == kept);
    }

    [Fact]
    public async Task An_upload_cut_off_mid_way_leaves_no_record_and_no_file()
    {
        var (api, id) = await NewAgreementAsync("Interrupted");
        var blobsBefore = app.StoredBlobs().Length;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("agreement"), "kind");
        form.Add(new StreamContent(new FailingStream(Fixtures.Pdf("interrupted", pages: 6), failAfter: 4000)), "file", "cut.pdf");

        try { await api.PostAsync($"/api/v1/agreements/{id}/documents", form); }
        catch (Exception e) when (e is HttpRequestException or IOException) { } // the client gave up: that is the point

        Assert.Equal(0, await VersionCountAsync(api, id));
        Assert.Equal(blobsBefore, app.StoredBlobs().Length);
        var staging = Path.Combine(app.BlobRoot, "tmp");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_file_and_of_new_versions_never_fail_with_a_server_error()
    {
        var (api, id) = await NewAgreementAsync("Concurrent");
        var first = (await (await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("version zero"), "v0.txt")).Content.ReadFromJsonAsync<JsonObject>())!;
        var fileId = first["fileId"]!.GetValue<int>();
        var same = Encoding.UTF8.GetBytes("the same words uploaded at once");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? ConcordatFactory.UploadAsync(api, id, same, $"same{i}.txt")
            : ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes($"version {i}"), $"v{i}.txt", path: $"/api/v1/agreements/{id}/documents/{fileId}/versions")));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var record = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!;
        var numbers = record["files"]!.AsArray().Single(f => f!["id"]!.GetValue<int>() == fileId)!["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=XYZ", "not multipart at all")]
    [InlineData("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello")]
    public async Task A_broken_multipart_body_is_a_400(string contentType, string body)
    {
        var (api, id) = await NewAgreementAsync("Broken multipart");
        var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await api.PostAsync($"/api/v1/agreements/{id}/documents", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    /// <summary>A body that breaks after some bytes, like a dropped connection.</summary>
    sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("connection dropped") : base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (Position >= failAfter) throw new IOException("connection dropped");
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, failAfter - (int)Position)], ct);
        }
    }

    /// <summary>Declares a length and throws if anyone reads the body.</summary>
    sealed class UnreadableContent(long length) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => Task.CompletedTask;
        protected override bool TryComputeLength(out long l) { l = length; return true; }
    }
}
