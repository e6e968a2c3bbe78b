using Concordat.Documents;

namespace Concordat.Tests.Documents;

public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("agreement.pdf", ".pdf", "agreement.pdf")]
    [InlineData(@"C:\Users\alice\Documents\DSA v2.docx", ".docx", "DSA v2.docx")]
    [InlineData("../../etc/passwd", ".txt", "passwd.txt")]
    [InlineData("folder/sub\\name.odt", ".odt", "name.odt")]
    [InlineData("  Data   sharing\tagreement .pdf ", ".pdf", "Data sharing agreement.pdf")]
    [InlineData("...hidden.pdf...", ".pdf", "hidden.pdf")]
    [InlineData("a<b>c:d\"e|f?g*h.pdf", ".pdf", "abcdefgh.pdf")]
    [InlineData("line\r\nbreak\u0000nul.txt", ".txt", "line breaknul.txt")]
    [InlineData("invoice\u202Efdp.exe", ".pdf", "invoicefdp.exe")]
    [InlineData("CON.txt", ".txt", "_CON.txt")]
    [InlineData("no extension", ".md", "no extension.md")]
    [InlineData(".pdf", ".pdf", "pdf.pdf")]
    [InlineData("Café ☕ 🚀.md", ".md", "Café ☕ 🚀.md")]
    public void Names_are_cleaned(string original, string fallbackExtension, string expected)
    {
        Assert.Equal(expected, SafeFileName.From(original, fallbackExtension));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("...")]
    [InlineData("/")]
    [InlineData("folder/")]
    [InlineData("\u0001\u0002")]
    public void Unusable_names_fall_back_to_document(string? original)
    {
        Assert.Equal("document.pdf", SafeFileName.From(original, ".pdf"));
        Assert.Equal("document.txt", SafeFileName.From(original, "txt"));
    }

    [Fact]
    public void Long_names_are_truncated_keeping_the_extension()
    {
        var name = SafeFileName.From(new string('x', 300) + ".docx", ".docx");

        Assert.Equal(SafeFileName.MaxLength, name.Length);
        Assert.EndsWith("x.docx", name);
    }

    [Fact]
    public void Truncation_does_not_split_surrogate_pairs()
    {
        var name = SafeFileName.From(string.Concat(Enumerable.Repeat("😀", 100)) + ".pdf", ".pdf");

        Assert.True(name.Length <= SafeFileName.MaxLength);
        Assert.EndsWith(".pdf", name);
        Assert.False(char.IsHighSurrogate(name[^5]));
    }

    [Fact]
    public void Ascii_fallback_drops_accents_and_unsafe_characters()
    {
        Assert.Equal("Accord donnees 100_ e_.pdf", SafeFileName.ToAsciiFallback("Accord données 100% é☕.pdf"));
    }

    [Theory]
    [InlineData("agreement.pdf", FileFormat.Html, "agreement.html")]
    [InlineData("agreement.htm", FileFormat.Html, "agreement.htm")]
    [InlineData("minutes.DOCX", FileFormat.PlainText, "minutes.txt")]
    [InlineData("notes.2024", FileFormat.PlainText, "notes.2024")]
    [InlineData("scan.pdf", FileFormat.Pdf, "scan.pdf")]
    public void A_name_that_claims_another_format_gets_the_extension_of_what_the_file_is(string name, FileFormat format, string expected) =>
        Assert.Equal(expected, SafeFileName.From(name, DetectedFileType.For(format).Extension, DetectedFileType.For(format).MisleadingExtensions));
}
