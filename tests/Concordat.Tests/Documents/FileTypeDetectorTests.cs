using System.Text;
using Concordat.Documents;

namespace Concordat.Tests.Documents;

public sealed class FileTypeDetectorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FileTypeDetector _detector = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Pdf_is_detected_from_content_whatever_the_name()
    {
        var path = Write("agreement.txt", Fixtures.TextPdf(["Hello"]));

        var type = _detector.Detect(path, "agreement.txt");

        Assert.Equal(FileFormat.Pdf, type.Kind);
        Assert.Equal("application/pdf", type.MediaType);
        Assert.Equal(".pdf", type.Extension);
    }

    [Fact]
    public void Pdf_header_after_leading_junk_is_accepted()
    {
        var path = Write("junk.pdf", [.. new byte[100], .. Fixtures.TextPdf(["Hello"])]);

        Assert.Equal(FileFormat.Pdf, _detector.Detect(path).Kind);
    }

    [Fact]
    public void Docx_is_detected()
    {
        var path = _dir.File("upload.bin");
        Fixtures.WriteDocx(path);

        var type = _detector.Detect(path, "upload.bin");

        Assert.Equal(FileFormat.Docx, type.Kind);
        Assert.Equal(".docx", type.Extension);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", type.MediaType);
    }

    [Fact]
    public void Odt_is_detected()
    {
        var path = _dir.File("upload");
        Fixtures.WriteOdt(path);

        var type = _detector.Detect(path);

        Assert.Equal(FileFormat.Odt, type.Kind);
        Assert.Equal("application/vnd.oasis.opendocument.text", type.MediaType);
        Assert.Equal(".odt", type.Extension);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body><p>Hi</p></body></html>")]
    [InlineData("\uFEFF  \n<html lang=\"en\"><p>Hi</p></html>")]
    [InlineData("<meta charset=\"utf-8\">\n<title>x</title>\n<body><p>Hi</p></body>")]
    [InlineData("<div class=\"agreement\"><p>Clause 1</p></div>")]
    public void Html_is_detected(string html)
    {
        var type = _detector.Detect(Write("page.txt", html), "page.txt");

        Assert.Equal(FileFormat.Html, type.Kind);
        Assert.Equal("text/html", type.MediaType);
    }

    [Fact]
    public void Markdown_is_detected_from_the_name()
    {
        var type = _detector.Detect(Write("notes", "Just some words."), "notes.md");

        Assert.Equal(FileFormat.Markdown, type.Kind);
        Assert.Equal("text/markdown", type.MediaType);
        Assert.Equal(".md", type.Extension);
    }

    [Theory]
    [InlineData("# Data Sharing Agreement\n\nSome text.")]
    [InlineData("Intro\n\n## Purpose\nText")]
    [InlineData("See [the guidance](https://example.org/guidance).")]
    public void Markdown_is_detected_from_content(string text)
    {
        Assert.Equal(FileFormat.Markdown, _detector.Detect(Write("upload.txt", text), "upload.txt").Kind);
    }

    [Theory]
    [InlineData("Plain agreement text.\nSecond line, with tabs\tand £ and é.")]
    [InlineData("\uFEFFText with a byte order mark.")]
    [InlineData("#hashtag is not a heading")]
    public void Plain_text_is_detected(string text)
    {
        var type = _detector.Detect(Write("upload", text), null);

        Assert.Equal(FileFormat.PlainText, type.Kind);
        Assert.Equal("text/plain", type.MediaType);
        Assert.Equal(".txt", type.Extension);
    }

    [Fact]
    public void Executable_renamed_to_pdf_is_refused()
    {
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, .. new byte[200]];

        var error = Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(Write("invoice.pdf", exe), "invoice.pdf"));

        Assert.Contains("program", error.Message);
        Assert.Contains(UnsupportedFileTypeException.AcceptedTypesDescription, error.Message);
    }

    [Fact]
    public void Png_is_refused()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, .. "IHDR"u8.ToArray(), .. new byte[50]];

        var error = Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(Write("scan.pdf", png)));

        Assert.Contains("image", error.Message);
    }

    [Fact]
    public void Plain_zip_is_refused()
    {
        var path = _dir.File("archive.docx");
        Fixtures.WriteZip(path, ("readme.txt", "hello"), ("data.csv", "a,b"));

        var error = Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(path, "archive.docx"));

        Assert.Contains("ZIP", error.Message);
    }

    [Fact]
    public void Zip_claiming_odt_with_wrong_mimetype_is_refused()
    {
        var path = _dir.File("fake.odt");
        Fixtures.WriteZip(path, ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>"));

        Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(path, "fake.odt"));
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        Assert.Throws<EmptyFileException>(() => _detector.Detect(Write("empty.pdf", Array.Empty<byte>())));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        // Latin-1 encoded text: 0xE9 alone is not valid UTF-8.
        var bytes = Encoding.Latin1.GetBytes("Accord de partage des donn\u00e9es");

        Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(Write("accord.txt", bytes), "accord.txt"));
    }

    [Fact]
    public void Invalid_utf8_late_in_the_file_is_refused()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(new string('a', 100_000)), 0xC3];

        Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(Write("late.txt", bytes)));
    }

    [Fact]
    public void Binary_junk_is_refused()
    {
        var junk = new byte[4096];
        new Random(42).NextBytes(junk);
        junk[0] = 0x01; // make sure it does not start with a known signature

        Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(Write("junk.txt", junk)));
    }

    [Fact]
    public void Text_with_nul_bytes_is_refused()
    {
        Assert.Throws<UnsupportedFileTypeException>(() => _detector.Detect(Write("nul.txt", "abc\0def")));
    }

    [Fact]
    public void Accepted_types_are_listed_in_user_terms()
    {
        var description = UnsupportedFileTypeException.AcceptedTypesDescription;

        foreach (var kind in Enum.GetValues<FileFormat>())
        {
            Assert.Contains(FileFormatText.DisplayName(kind), description);
        }

        Assert.Equal("Word document (DOCX)", FileFormatText.DisplayName(FileFormat.Docx));
        Assert.Equal("OpenDocument text (ODT)", FileFormatText.DisplayName(FileFormat.Odt));
    }
}
