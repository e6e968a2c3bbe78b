namespace Concordat.Documents;

/// <summary>User-facing names for the accepted formats.</summary>
public static class FileFormatText
{
    public static IReadOnlyList<FileFormat> All { get; } = Enum.GetValues<FileFormat>();

    public static string DisplayName(FileFormat kind) => kind switch
    {
        FileFormat.Pdf => "PDF",
        FileFormat.Docx => "Word document (DOCX)",
        FileFormat.Odt => "OpenDocument text (ODT)",
        FileFormat.Html => "HTML",
        FileFormat.Markdown => "Markdown",
        FileFormat.PlainText => "Plain text",
        FileFormat.Doc => "Word 97-2003 document (DOC)",
        FileFormat.Rtf => "Rich Text Format (RTF)",
        _ => kind.ToString(),
    };

    /// <summary>
    /// Value for an HTML file input's accept attribute. Only a hint for the browser's picker:
    /// the server still decides from content.
    /// </summary>
    public static string AcceptAttribute { get; } =
        ".pdf,.docx,.doc,.odt,.rtf,.html,.htm,.md,.markdown,.txt," +
        "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/msword," +
        "application/vnd.oasis.opendocument.text,application/rtf,text/rtf,text/html,text/markdown,text/plain";
}

public static class MediaTypeText
{
    /// <summary>The name people know a stored file's type by, from its media type.</summary>
    public static string DisplayName(string mediaType) =>
        FileFormatText.All.Select(DetectedFileType.For).FirstOrDefault(t => t.MediaType == mediaType) is { } type
            ? FileFormatText.DisplayName(type.Kind)
            : mediaType;
}
