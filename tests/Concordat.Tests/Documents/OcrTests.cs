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
    public async Task Image_only_pdf_is_read_by_ocr_when_enabled()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm and tesseract must be on PATH.");
        var path = _dir.File("scan.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.ImageOnlyPdf(_dir, "Information Sharing Agreement", "Exampleshire Council"));
        // Its own work folder, so OCR running in other tests at the same time cannot confuse the check below.
        var work = Directory.CreateDirectory(_dir.File("ocr-work")).FullName;
        var extractor = new TextExtractor(Options.Create(new DocumentOptions { OcrEnabled = true, OcrWorkFolder = work }));

        var result = await extractor.ExtractAsync(path, DetectedFileType.Pdf);

        Assert.True(result.HasText);
        Assert.Equal(TextSource.Ocr, result.Source);
        Assert.Equal(1, result.PageCount);
        Assert.Contains("Information Sharing Agreement", result.Text);
        Assert.Contains("Exampleshire Council", result.Text);
        // The rendering folder is always removed.
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }

    [Fact]
    public async Task Ocr_gives_up_after_the_timeout()
    {
        Assert.True(PdfOcr.IsAvailable(), "pdftoppm and tesseract must be on PATH.");
        var path = _dir.File("scan.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.ImageOnlyPdf(_dir, "Timeout test"));

        var work = Directory.CreateDirectory(_dir.File("ocr-work")).FullName;

        await Assert.ThrowsAsync<TimeoutException>(() => PdfOcr.RecognizeAsync(path, 1, TimeSpan.FromMilliseconds(1), workRoot: work));

        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }
}
