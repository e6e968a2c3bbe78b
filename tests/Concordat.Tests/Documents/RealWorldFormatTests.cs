using Concordat.Documents;
using Microsoft.Extensions.Options;

namespace Concordat.Tests.Documents;

/// <summary>What real back catalogues hold: Word 97-2003 and RTF files, password-protected Office files, Word documents
/// laid out unusually, and words in footnotes, comments, headers and footers.</summary>
public sealed class RealWorldFormatTests : IDisposable
{
    readonly TempDirectory _dir = new();
    static readonly DocumentOptions Options = new() { OcrEnabled = false };
    readonly FileTypeDetector _detector = new(Options);
    readonly TextExtractor _extractor = new(Microsoft.Extensions.Options.Options.Create(Options));

    public void Dispose() => _dir.Dispose();

    string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Word_97_2003_and_rtf_files_are_read_through_libreoffice()
    {
        Assert.True(LegacyDocumentReader.IsAvailable(Options), "LibreOffice (soffice) must be installed: bash scripts/test.sh installs libreoffice-writer-nogui");
        var rtf = Write("protocol.rtf", Fixtures.Rtf("Information sharing protocol", "The partners share the names of residents at risk: kingfisher."));
        var doc = Fixtures.ConvertWithLibreOffice(rtf, "doc");

        foreach (var (path, expected) in new[] { (rtf, DetectedFileType.Rtf), (doc, DetectedFileType.Doc) })
        {
            // Named as anything: the content decides.
            var staged = Write(Path.GetFileName(path) + ".upload", File.ReadAllBytes(path));
            var type = _detector.Detect(staged, "agreement");
            Assert.Equal(expected, type);
            var text = await _extractor.ExtractAsync(staged, type);
            Assert.True(text.HasText);
            Assert.Contains("residents at risk: kingfisher", text.Text);
        }
    }

    [Fact]
    public async Task A_damaged_word_97_2003_file_is_refused_with_what_to_do()
    {
        Assert.True(LegacyDocumentReader.IsAvailable(Options), "LibreOffice (soffice) must be installed");
        var path = Write("broken.doc", Fixtures.CompoundFile("WordDocument", "1Table"));

        Assert.Equal(DetectedFileType.Doc, _detector.Detect(path));
        var error = await Assert.ThrowsAsync<UnreadableDocumentException>(() => _extractor.ExtractAsync(path, DetectedFileType.Doc));
        Assert.Contains("save it as DOCX or PDF", error.Message);
    }

    [Theory]
    [InlineData("EncryptedInfo,EncryptedPackage", "password protected. Remove the password")]
    public void A_password_protected_office_file_is_told_to_remove_the_password(string streams, string message)
    {
        var path = Write("locked.docx", Fixtures.CompoundFile(streams.Split(',')));

        var error = Assert.Throws<UnreadableDocumentException>(() => _detector.Detect(path));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("Workbook", "Excel 97-2003 workbook")]
    [InlineData("PowerPoint Document", "PowerPoint 97-2003 presentation")]
    public void Other_old_office_files_are_refused_by_name(string stream, string message)
    {
        var path = Write("old.doc", Fixtures.CompoundFile(stream));

        Assert.Contains(message, Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(path)).Message);
    }

    [Fact]
    public async Task A_pdf_pdfpig_cannot_parse_is_read_by_poppler_before_it_is_refused()
    {
        Assert.True(PopplerTextReader.IsAvailable(), "pdftotext must be installed (poppler-utils)");
        var path = Write("repaired.pdf", Fixtures.PdfWithUnclosedCatalog("Hello from a damaged agreement"));

        var text = await _extractor.ExtractAsync(path, _detector.Detect(path));

        Assert.Equal("Hello from a damaged agreement", text.Text);
        Assert.Equal(1, text.PageCount);
    }

    [Fact]
    public async Task What_poppler_writes_counts_against_the_files_expansion_limit()
    {
        var path = Write("wordy.pdf", Fixtures.PdfWithUnclosedCatalog("More text than this file may unpack to"));
        var strict = new TextExtractor(Microsoft.Extensions.Options.Options.Create(new DocumentOptions { OcrEnabled = false, MaxExpandedBytes = 16 }));

        await Assert.ThrowsAsync<DocumentTooLargeException>(() => strict.ExtractAsync(path, DetectedFileType.Pdf));
    }

    [Fact]
    public async Task A_word_document_whose_main_part_is_not_at_the_usual_place_is_read()
    {
        var path = _dir.File("moved.docx");
        Fixtures.WriteDocx(path);
        Fixtures.MoveDocxMainPart(path);

        Assert.Equal(DetectedFileType.Docx, _detector.Detect(path));
        Assert.Contains("Data Sharing Agreement", (await _extractor.ExtractAsync(path, DetectedFileType.Docx)).Text);
    }

    [Fact]
    public async Task Footnotes_endnotes_and_comments_of_a_word_document_are_searchable()
    {
        var path = _dir.File("notes.docx");
        Fixtures.WriteDocxWithNotes(path);

        var text = (await _extractor.ExtractAsync(path, _detector.Detect(path))).Text;

        Assert.Contains("The body of the agreement.", text);
        Assert.Contains("kestrel clause", text);
        Assert.Contains("plover schedule", text);
        Assert.Contains("heron query", text);
    }

    [Fact]
    public async Task Headers_and_footers_of_an_opendocument_file_are_searchable()
    {
        var path = _dir.File("headed.odt");
        Fixtures.WriteOdt(path, stylesXml: """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
                xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
              <office:master-styles>
                <style:master-page style:name="Standard">
                  <style:header><text:p>OFFICIAL-SENSITIVE: partnership copy</text:p></style:header>
                  <style:footer><text:p>Version 4, reviewed by the avocet group</text:p></style:footer>
                </style:master-page>
              </office:master-styles>
            </office:document-styles>
            """);

        var text = (await _extractor.ExtractAsync(path, _detector.Detect(path))).Text;

        Assert.Contains("Information Sharing Protocol", text);
        Assert.Contains("OFFICIAL-SENSITIVE: partnership copy", text);
        Assert.Contains("reviewed by the avocet group", text);
    }
}
