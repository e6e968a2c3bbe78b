namespace Concordat.Documents;

/// <summary>The document formats Concordat accepts.</summary>
public enum FileFormat
{
    Pdf,
    Docx,
    Odt,
    Html,
    Markdown,
    PlainText,
    /// <summary>Word 97-2003: read with LibreOffice where it is installed.</summary>
    Doc,
    /// <summary>Rich Text Format: read with LibreOffice where it is installed.</summary>
    Rtf,
}

/// <summary>What a file really is, decided from its content.</summary>
/// <param name="Kind">The format.</param>
/// <param name="MediaType">The IANA media type to serve it with.</param>
/// <param name="Extension">The canonical extension, with a leading dot.</param>
public sealed record DetectedFileType(FileFormat Kind, string MediaType, string Extension)
{
    public static DetectedFileType Pdf { get; } = new(FileFormat.Pdf, "application/pdf", ".pdf");
    public static DetectedFileType Docx { get; } = new(FileFormat.Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static DetectedFileType Odt { get; } = new(FileFormat.Odt, "application/vnd.oasis.opendocument.text", ".odt");
    public static DetectedFileType Html { get; } = new(FileFormat.Html, "text/html", ".html");
    public static DetectedFileType Markdown { get; } = new(FileFormat.Markdown, "text/markdown", ".md");
    public static DetectedFileType PlainText { get; } = new(FileFormat.PlainText, "text/plain", ".txt");
    public static DetectedFileType Doc { get; } = new(FileFormat.Doc, "application/msword", ".doc");
    public static DetectedFileType Rtf { get; } = new(FileFormat.Rtf, "application/rtf", ".rtf");

    /// <summary>Every extension a document format is known by, accepted here or not.</summary>
    static readonly string[] DocumentExtensions = [".pdf", ".docx", ".doc", ".odt", ".rtf", ".html", ".htm", ".md", ".markdown", ".txt", ".xlsx", ".xls"];

    /// <summary>
    /// The extensions that would tell a reader the file is something it is not: those of every other document format. An
    /// HTML page uploaded as "x.pdf" is stored as "x.html".
    /// </summary>
    public IReadOnlySet<string> MisleadingExtensions => DocumentExtensions.Where(e => e != Extension && !(Kind == FileFormat.Html && e == ".htm")
        && !(Kind == FileFormat.Markdown && e == ".markdown")).ToHashSet();

    public static DetectedFileType For(FileFormat kind) => kind switch
    {
        FileFormat.Pdf => Pdf,
        FileFormat.Docx => Docx,
        FileFormat.Odt => Odt,
        FileFormat.Html => Html,
        FileFormat.Markdown => Markdown,
        FileFormat.PlainText => PlainText,
        FileFormat.Doc => Doc,
        FileFormat.Rtf => Rtf,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
