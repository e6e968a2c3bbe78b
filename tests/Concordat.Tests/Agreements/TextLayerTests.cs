using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Tests.Documents;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Agreements;

public sealed class OcrOffFactory : ConcordatFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concordat:Documents:OcrEnabled"] = "false" };
}

/// <summary>A scanned agreement is visibly marked as having no text layer when OCR is off.</summary>
public sealed class NoTextLayerTests(OcrOffFactory app) : IClassFixture<OcrOffFactory>
{
    [Fact]
    public async Task An_image_only_pdf_is_stored_and_marked_no_text_layer_on_its_page()
    {
        using var dir = new TempDirectory();
        var scan = Documents.Fixtures.ImageOnlyPdf(dir, "Scanned agreement between partners");
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Scanned", leadOrganisationId = await app.OrganisationIdAsync("Peabody") });

        var response = await ConcordatFactory.UploadAsync(api, created["id"]!.GetValue<int>(), scan, "scan.pdf");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var doc = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(doc["hasText"]!.GetValue<bool>());
        Assert.Equal("none", doc["textSource"]!.GetValue<string>());
        var client = await app.SignedInClientAsync();
        var page = await client.GetPageAsync($"/agreements/{created["id"]}");
        Assert.Contains("No text layer", page.QuerySelector(".govuk-warning-text")!.TextContent);
    }
}

/// <summary>With tesseract and pdftoppm installed (the test command installs them) a scan is read by OCR, in the background.</summary>
public sealed class OcrTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    async Task<JsonObject> WhenReadAsync(HttpClient api, int agreementId)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            var version = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{agreementId}"))!["files"]![0]!["versions"]![0]!.AsObject();
            if (version["textSource"]!.GetValue<string>() != "pending") return version;
        }
        throw new TimeoutException("the scanned pages were not read within 90 seconds");
    }

    [Fact]
    public async Task A_scan_is_saved_at_once_as_being_read_and_its_words_become_searchable_when_ocr_has_read_them()
    {
        Assert.True(Concordat.Documents.PdfOcr.IsAvailable(), "tesseract and pdftoppm must be installed (bash .ci/run installs them)");
        using var dir = new TempDirectory();
        var scan = Documents.Fixtures.ImageOnlyPdf(dir, "Hoarding panel agreement");
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Scanned with OCR", leadOrganisationId = await app.OrganisationIdAsync("Peabody") });
        var id = created["id"]!.GetValue<int>();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var doc = (await (await ConcordatFactory.UploadAsync(api, id, scan, "scan.pdf")).Content.ReadFromJsonAsync<JsonObject>())!;

        // The upload does not wait for OCR.
        Assert.Equal("pending", doc["textSource"]!.GetValue<string>());
        Assert.False(doc["hasText"]!.GetValue<bool>());
        var client = await app.SignedInClientAsync();
        Assert.StartsWith("Text being read", (await client.GetPageAsync($"/agreements/{id}")).QuerySelector("[id$=-reading]")!.TextContent.Trim());

        var read = await WhenReadAsync(api, id);
        Assert.Equal("ocr", read["textSource"]!.GetValue<string>());
        Assert.True(read["hasText"]!.GetValue<bool>());
        Assert.Contains("Hoarding", await api.GetStringAsync(read["textUrl"]!.GetValue<string>()), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("recognised from a scanned image", (await client.GetPageAsync($"/agreements/{id}")).Body!.TextContent);
        // The index takes the recognised words from the outbox within moments.
        var searched = false;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !searched && DateTime.UtcNow < deadline; await Task.Delay(200))
            searched = (await api.GetFromJsonAsync<JsonObject>("/api/v1/search?q=hoarding"))!["items"]!.AsArray().Any(i => i!["id"]!.GetValue<int>() == id);
        Assert.True(searched, "the recognised words were not found by search");
    }

    [Fact]
    public async Task A_scan_a_stopped_node_was_reading_is_read_again_once_its_claim_runs_out()
    {
        using var dir = new TempDirectory();
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Scan left half read", leadOrganisationId = await app.OrganisationIdAsync("Peabody") });
        var id = created["id"]!.GetValue<int>();
        var doc = (await (await ConcordatFactory.UploadAsync(api, id, Documents.Fixtures.ImageOnlyPdf(dir, "Tenancy sustainment protocol"), "scan.pdf")).Content.ReadFromJsonAsync<JsonObject>())!;
        var versionId = doc["id"]!.GetValue<int>();
        // As if a node had claimed it and died: pending, claimed until a moment ago, one try used.
        await app.InDatabaseAsync(db => db.FileVersions.Where(v => v.Id == versionId).ExecuteUpdateAsync(u => u
            .SetProperty(v => v.TextSource, Concordat.Documents.TextSource.Pending)
            .SetProperty(v => v.TextReadingClaimedUntil, DateTime.UtcNow.AddSeconds(-1)).SetProperty(v => v.TextReadingAttempts, 1)));
        app.Services.GetRequiredService<Concordat.Agreements.TextRecognitionSignal>().Raise();

        var read = await WhenReadAsync(api, id);

        Assert.Equal("ocr", read["textSource"]!.GetValue<string>());
        Assert.Contains("Tenancy", await api.GetStringAsync(read["textUrl"]!.GetValue<string>()), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_scan_tried_the_most_times_keeps_the_text_it_had_and_is_not_tried_again()
    {
        using var dir = new TempDirectory();
        var api = await app.AdminApiAsync();
        var id = (await app.CreateAgreementAsync(api, new { title = "Scan tried three times", leadOrganisationId = await app.OrganisationIdAsync("Peabody") }))["id"]!.GetValue<int>();
        var doc = (await (await ConcordatFactory.UploadAsync(api, id, Documents.Fixtures.ImageOnlyPdf(dir, "Never read"), "scan.pdf")).Content.ReadFromJsonAsync<JsonObject>())!;
        var versionId = doc["id"]!.GetValue<int>();
        await WhenReadAsync(api, id); // the upload's own reading, out of the way
        // As if every try had failed: waiting, its last claim run out, the most tries used, no text.
        await app.InDatabaseAsync(async db =>
        {
            await db.FileTexts.Where(t => t.Sha256 == doc["sha256"]!.GetValue<string>()).ExecuteDeleteAsync();
            return await db.FileVersions.Where(v => v.Id == versionId).ExecuteUpdateAsync(u => u
                .SetProperty(v => v.TextSource, Concordat.Documents.TextSource.Pending).SetProperty(v => v.HasText, false)
                .SetProperty(v => v.TextReadingClaimedUntil, DateTime.UtcNow.AddSeconds(-1)).SetProperty(v => v.TextReadingAttempts, TextRecognition.MaxAttempts));
        });
        app.Services.GetRequiredService<TextRecognitionSignal>().Raise();

        var read = await WhenReadAsync(api, id);

        // Not read again: it would have found "Never read".
        Assert.Equal("none", read["textSource"]!.GetValue<string>());
        Assert.False(read["hasText"]!.GetValue<bool>());
    }
}
