namespace Concordat.Documents;

/// <summary>Where extracted text came from.</summary>
public enum TextSource
{
    /// <summary>The document's own text (PDF text layer, DOCX/ODT/HTML/Markdown/plain text content).</summary>
    TextLayer,
    /// <summary>Recognised from page images because the PDF had no text layer.</summary>
    Ocr,
    /// <summary>No text could be obtained.</summary>
    None,
    /// <summary>Scanned pages wait to be read by OCR, in the background; the text so far is the text layer's.</summary>
    Pending,
}

/// <summary>The readable text of a document.</summary>
/// <param name="Text">The text; empty when none was found.</param>
/// <param name="PageCount">Pages, when the format knows (PDF always, DOCX when the file records it).</param>
/// <param name="HasText">Whether <paramref name="Text"/> holds anything but whitespace.</param>
/// <param name="Source">How the text was obtained.</param>
public sealed record ExtractedText(string Text, int? PageCount, bool HasText, TextSource Source)
{
    public static ExtractedText From(string text, int? pageCount, TextSource source)
    {
        var hasText = !string.IsNullOrWhiteSpace(text);
        return new ExtractedText(hasText ? text : "", pageCount, hasText, hasText ? source : TextSource.None);
    }

    public static ExtractedText Nothing(int? pageCount) => new("", pageCount, false, TextSource.None);
}
