using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Tests.Documents;
using Concordat.Tests.Support;

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

/// <summary>With tesseract and pdftoppm installed (the test command installs them) a scan is read by OCR.</summary>
public sealed class OcrTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task An_image_only_pdf_is_read_by_ocr_and_its_text_is_marked_as_recognised()
    {
        Assert.True(Concordat.Documents.PdfOcr.IsAvailable(), "tesseract and pdftoppm must be installed (bash .ci/run installs them)");
        using var dir = new TempDirectory();
        var scan = Documents.Fixtures.ImageOnlyPdf(dir, "Hoarding panel agreement");
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Scanned with OCR", leadOrganisationId = await app.OrganisationIdAsync("Peabody") });

        var doc = (await (await ConcordatFactory.UploadAsync(api, created["id"]!.GetValue<int>(), scan, "scan.pdf")).Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.True(doc["hasText"]!.GetValue<bool>());
        Assert.Equal("ocr", doc["textSource"]!.GetValue<string>());
        Assert.Contains("Hoarding", await api.GetStringAsync(doc["textUrl"]!.GetValue<string>()), StringComparison.OrdinalIgnoreCase);
        var client = await app.SignedInClientAsync();
        Assert.Contains("recognised from a scanned image", (await client.GetPageAsync($"/agreements/{created["id"]}")).Body!.TextContent);
    }
}
