using System.Text;

namespace Concordat.Documents;

/// <summary>Reads Markdown and plain text files, which are their own text.</summary>
internal static class PlainTextReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ExtractedText Read(string path) =>
        ExtractedText.From(ReadUtf8(path), null, TextSource.TextLayer);

    /// <summary>Reads a whole file as strict UTF-8 without its byte order mark.</summary>
    public static string ReadUtf8(string path)
    {
        try
        {
            return File.ReadAllText(path, StrictUtf8).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new UnreadableDocumentException("The text is not valid UTF-8.", e);
        }
    }
}
