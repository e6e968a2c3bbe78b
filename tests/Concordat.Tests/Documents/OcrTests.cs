using Concordat.Documents;
using Microsoft.Extensions.Options;

namespace Concordat.Tests.Documents;

/// <summary>
/// Needs tesseract-ocr and poppler-utils installed. These tests fail rather than skip when the tools
/// are missing, so a CI image without them is noticed.
/// </summary>
public sealed class OcrTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ocr_tools_are_installed()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm and tesseract must be on PATH (apt-get install poppler-utils tesseract-ocr).");
    }

    [Fact]
    public async Task Image_only_pdf_has_no_text_when_ocr_is_disabled()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm is needed to build the fixture.");
        var path = _dir.File("scan.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.ImageOnlyPdf(_dir, "Information Sharing Agreement"));
        var extractor = new TextExtractor(Options.Create(new DocumentOptions { OcrEnabled = false }));

        var result = await extractor.ExtractAsync(path, DetectedFileType.Pdf);

        Assert.False(result.HasText);
        Assert.Equal(TextSource.None, result.Source);
        Assert.Equal("", result.Text);
        Assert.Equal(1, result.PageCount);
    }

    [Fact]
    public async Task Image_only_pdf_is_left_for_ocr_on_upload_and_read_by_it_afterwards()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm and tesseract must be on PATH.");
        var path = _dir.File("scan.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.ImageOnlyPdf(_dir, "Information Sharing Agreement", "Exampleshire Council"));
        // Its own work folder, so OCR running in other tests at the same time cannot confuse the check below.
        var work = Directory.CreateDirectory(_dir.File("ocr-work")).FullName;
        var extractor = new TextExtractor(Options.Create(new DocumentOptions { OcrEnabled = true, OcrWorkFolder = work }));

        // The upload path leaves the scanned page to be read later; reading it is the queue's call.
        var uploaded = await extractor.ExtractAsync(path, DetectedFileType.Pdf);
        Assert.Equal(TextSource.Pending, uploaded.Source);
        Assert.False(uploaded.HasText);
        var result = await extractor.RecognizeAsync(path);

        Assert.True(result.HasText);
        Assert.Equal(TextSource.Ocr, result.Source);
        Assert.Equal(1, result.PageCount);
        Assert.Contains("Information Sharing Agreement", result.Text);
        Assert.Contains("Exampleshire Council", result.Text);
        // The rendering folder is always removed.
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }

    [Fact]
    public async Task A_typed_pdf_with_a_scanned_page_has_only_that_page_read_by_ocr_in_page_order()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm and tesseract must be on PATH.");
        var path = _dir.File("mixed.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.MixedPdf(_dir, "Typed covering letter", "Signed schedule of parties"));
        var extractor = new TextExtractor(Options.Create(new DocumentOptions { OcrEnabled = true, OcrWorkFolder = Directory.CreateDirectory(_dir.File("work")).FullName }));

        var uploaded = await extractor.ExtractAsync(path, DetectedFileType.Pdf);
        Assert.Equal(TextSource.Pending, uploaded.Source);
        Assert.Equal("Typed covering letter", uploaded.Text); // searchable at once
        var read = await extractor.RecognizeAsync(path);

        Assert.Equal(TextSource.Ocr, read.Source);
        Assert.Equal(2, read.PageCount);
        Assert.StartsWith("Typed covering letter\n\n", read.Text);
        Assert.Contains("Signed schedule of parties", read.Text);
    }

    [Fact]
    public async Task Ocr_gives_up_after_the_timeout()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm and tesseract must be on PATH.");
        var path = _dir.File("scan.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.ImageOnlyPdf(_dir, "Timeout test"));

        var work = Directory.CreateDirectory(_dir.File("ocr-work")).FullName;

        await Assert.ThrowsAsync<TimeoutException>(() => PdfOcr.RecognizeAsync(path, [1], TimeSpan.FromMilliseconds(1), workRoot: work));

        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }
}
