using System.Text;
using Concordat.Documents;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Concordat.Tests.Documents;

public sealed class TextExtractorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TextExtractor _extractor = new(Options.Create(new DocumentOptions { OcrEnabled = false }));

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Pdf_text_and_page_count_are_extracted()
    {
        var path = Write("a.pdf", Fixtures.TextPdf(
            ["Data Sharing Agreement", "Between the Council and the Trust"],
            ["Schedule of data items"],
            ["Signed on behalf of the parties"]));

        var result = await _extractor.ExtractAsync(path, DetectedFileType.Pdf);

        Assert.Equal(3, result.PageCount);
        Assert.True(result.HasText);
        Assert.Equal(TextSource.TextLayer, result.Source);
        Assert.Contains("Data Sharing Agreement", result.Text);
        Assert.Contains("Between the Council and the Trust", result.Text);
        Assert.Contains("Schedule of data items", result.Text);
        // Pages are separated by a blank line, in order.
        Assert.Contains("Trust\n\nSchedule", result.Text);
        Assert.True(result.Text.IndexOf("Schedule", StringComparison.Ordinal) < result.Text.IndexOf("Signed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pdf_without_pages_is_refused()
    {
        var path = Write("empty.pdf", Fixtures.PdfWithoutPages());

        var error = await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Pdf));

        Assert.Contains("The PDF has no pages", error.Message);
    }

    [Fact]
    public async Task Truncated_pdf_is_unreadable()
    {
        var pdf = Fixtures.TextPdf(["Page one text"], ["Page two text"]);
        var path = Write("cut.pdf", pdf[..(pdf.Length / 3)]);

        var error = await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Pdf));

        Assert.Contains("damaged or incomplete", error.Message);
    }

    [Fact]
    public void Generated_encrypted_pdf_is_really_encrypted()
    {
        var pdf = Fixtures.EncryptedPdf("user-secret", "owner-secret", "Confidential schedule");

        // Without a password PdfPig reports encryption specifically, not a parse failure...
        Assert.Throws<PdfDocumentEncryptedException>(() =>
        {
            using var document = PdfDocument.Open(pdf);
            _ = document.GetPage(1).Text;
        });

        // ...and with the right password it decrypts the content, so the file is honestly encrypted.
        using var opened = PdfDocument.Open(pdf, new ParsingOptions { Password = "user-secret" });
        Assert.True(opened.IsEncrypted);
        Assert.Contains("Confidential schedule", opened.GetPage(1).Text);
    }

    [Fact]
    public async Task Password_protected_pdf_is_unreadable()
    {
        var path = Write("locked.pdf", Fixtures.EncryptedPdf("user-secret", "owner-secret", "Confidential schedule"));

        var error = await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Pdf));

        Assert.Contains("password protected", error.Message);
        Assert.IsType<PdfDocumentEncryptedException>(error.InnerException);
    }

    [Fact]
    public async Task Docx_body_table_header_footer_and_pages_are_extracted()
    {
        var path = _dir.File("a.docx");
        Fixtures.WriteDocx(path);

        var result = await _extractor.ExtractAsync(path, DetectedFileType.Docx);

        Assert.True(result.HasText);
        Assert.Equal(TextSource.TextLayer, result.Source);
        Assert.Equal(3, result.PageCount);
        var lines = result.Text.Split('\n');
        Assert.Contains("Data Sharing Agreement", lines);
        Assert.Contains("Between the Council and the Trust.", lines);
        Assert.Contains("Party | Role", lines);
        Assert.Contains("Exampleshire Council | Controller", lines);
        Assert.Contains("OFFICIAL-SENSITIVE header", lines);
        Assert.Contains("Page footer text", lines);
        // Header first, then body in order, then footer.
        Assert.True(result.Text.IndexOf("OFFICIAL", StringComparison.Ordinal) < result.Text.IndexOf("Data Sharing", StringComparison.Ordinal));
        Assert.True(result.Text.IndexOf("Controller", StringComparison.Ordinal) < result.Text.IndexOf("Signed by", StringComparison.Ordinal));
        Assert.True(result.Text.IndexOf("Signed by", StringComparison.Ordinal) < result.Text.IndexOf("Page footer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Docx_with_broken_xml_is_unreadable()
    {
        var path = _dir.File("broken.docx");
        Fixtures.WriteZip(path,
            ("[Content_Types].xml", Fixtures.ContentTypesXml),
            ("_rels/.rels", Fixtures.RootRelsXml),
            ("word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Unfinished"));
        Assert.Equal(FileFormat.Docx, new FileTypeDetector().Detect(path).Kind);

        var error = await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Docx));

        Assert.Contains("Word document", error.Message);
    }

    [Fact]
    public async Task Docx_with_broken_content_types_is_unreadable()
    {
        var path = _dir.File("broken-types.docx");
        Fixtures.WriteZip(path,
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default"),
            ("_rels/.rels", Fixtures.RootRelsXml),
            ("word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>"));

        await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Docx));
    }

    [Fact]
    public async Task Truncated_docx_is_unreadable()
    {
        var full = _dir.File("full.docx");
        Fixtures.WriteDocx(full);
        var bytes = await File.ReadAllBytesAsync(full);
        var path = Write("cut.docx", bytes[..(bytes.Length / 2)]);

        await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Docx));
    }

    [Fact]
    public async Task Odt_paragraphs_and_tables_are_extracted()
    {
        var path = _dir.File("a.odt");
        Fixtures.WriteOdt(path);

        var result = await _extractor.ExtractAsync(path, DetectedFileType.Odt);

        Assert.True(result.HasText);
        Assert.Null(result.PageCount);
        Assert.Equal(
            "Information Sharing Protocol\nPurpose of the sharing agreement.\nParty | Role\nPolice | Joint controller\nReview date\t2026",
            result.Text);
    }

    [Fact]
    public async Task Odt_with_broken_xml_is_unreadable()
    {
        var path = _dir.File("broken.odt");
        Fixtures.WriteOdt(path, "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"><office:body>");

        await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Odt));
    }

    [Fact]
    public async Task Html_visible_text_is_extracted_without_scripts_or_styles()
    {
        var path = Write("a.html", Encoding.UTF8.GetBytes("""
            <!DOCTYPE html>
            <html><head><title>Head title</title><style>body { color: red; }</style>
            <script>var secret = "head script";</script></head>
            <body>
              <h1>Agreement   overview</h1>
              <p>Data is shared <b>weekly</b>.<br>By secure transfer.</p>
              <script>document.write("body script")</script>
              <noscript>Enable JavaScript</noscript>
              <div hidden>Hidden note</div>
              <table><tr><th>Item</th><th>Lawful basis</th></tr><tr><td>Name</td><td>Article 6(1)(e)</td></tr></table>
              <p>Café — £10</p>
            </body></html>
            """));

        var result = await _extractor.ExtractAsync(path, DetectedFileType.Html);

        Assert.Equal(
            "Agreement overview\nData is shared weekly.\nBy secure transfer.\nItem | Lawful basis\nName | Article 6(1)(e)\nCafé — £10",
            result.Text);
        Assert.DoesNotContain("script", result.Text);
        Assert.DoesNotContain("color", result.Text);
    }

    [Fact]
    public async Task Deeply_nested_html_does_not_overflow_the_stack()
    {
        var html = new StringBuilder("<html><body>");
        for (var i = 0; i < 20_000; i++) html.Append("<span>");
        html.Append("deep text</body></html>");
        var path = Write("deep.html", Encoding.UTF8.GetBytes(html.ToString()));

        var result = await _extractor.ExtractAsync(path, DetectedFileType.Html);

        Assert.Equal("deep text", result.Text);
    }

    [Fact]
    public async Task Markdown_and_plain_text_are_returned_as_is_without_bom()
    {
        const string markdown = "# Title\n\n- item one\n- item two\n";
        var md = Write("a.md", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(markdown)]);
        var txt = Write("a.txt", Encoding.UTF8.GetBytes("Line one\r\nLine two"));

        var mdResult = await _extractor.ExtractAsync(md, DetectedFileType.Markdown);
        var txtResult = await _extractor.ExtractAsync(txt, DetectedFileType.PlainText);

        Assert.Equal(markdown, mdResult.Text);
        Assert.Equal("Line one\r\nLine two", txtResult.Text);
        Assert.Equal(TextSource.TextLayer, txtResult.Source);
        Assert.Null(txtResult.PageCount);
    }

    [Fact]
    public async Task Whitespace_only_text_has_no_text()
    {
        var path = Write("blank.txt", Encoding.UTF8.GetBytes("   \n\t\n"));

        var result = await _extractor.ExtractAsync(path, DetectedFileType.PlainText);

        Assert.False(result.HasText);
        Assert.Equal(TextSource.None, result.Source);
        Assert.Equal("", result.Text);
    }
}
