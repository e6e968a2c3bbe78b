using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Concordat.Documents;

/// <summary>
/// Works out what an uploaded file really is from its bytes. The file name is only used to tell
/// Markdown from plain text, never to decide whether a file is accepted.
/// </summary>
public sealed partial class FileTypeDetector
{
    private const string OdtMimeType = "application/vnd.oasis.opendocument.text";
    private const int HeadBytes = 1024;
    private const int TextSampleChars = 4096;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly DocumentOptions _options;

    public FileTypeDetector() : this(new DocumentOptions()) { }

    public FileTypeDetector(IOptions<DocumentOptions> options) : this(options.Value) { }

    public FileTypeDetector(DocumentOptions options) => _options = options;

    /// <summary>Detects the type of the file at <paramref name="path"/>.</summary>
    /// <param name="originalFileName">The name the user gave the file, used only to recognise Markdown.</param>
    public DetectedFileType Detect(string path, string? originalFileName = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        return Detect(stream, originalFileName);
    }

    /// <summary>Detects the type of a seekable stream, reading from its start.</summary>
    public DetectedFileType Detect(Stream seekable, string? originalFileName = null)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        if (!seekable.CanSeek)
        {
            throw new ArgumentException("Type detection needs a seekable stream.", nameof(seekable));
        }

        if (seekable.Length == 0)
        {
            throw new EmptyFileException();
        }

        seekable.Position = 0;
        var head = new byte[(int)Math.Min(HeadBytes, seekable.Length)];
        seekable.ReadExactly(head);

        // PDF readers accept the header anywhere in the first kilobyte, so we do too.
        if (head.AsSpan().IndexOf("%PDF-"u8) >= 0)
        {
            return DetectedFileType.Pdf;
        }

        if (ZipGuard.LooksLikeZip(head))
        {
            return DetectZipBased(seekable);
        }

        if (head.AsSpan().StartsWith(OleSignature))
        {
            return DetectOle(seekable);
        }

        if (head.AsSpan().StartsWith("{\\rtf"u8))
        {
            return DetectedFileType.Rtf;
        }

        if (DescribeKnownBinary(head) is { } binary)
        {
            throw new UnsupportedFileTypeException(binary);
        }

        seekable.Position = 0;
        return DetectText(seekable, originalFileName);
    }

    private DetectedFileType DetectZipBased(Stream seekable)
    {
        try
        {
            using var archive = ZipGuard.OpenChecked(seekable, _options);
            if (archive.GetEntry("[Content_Types].xml") is { } types
                && (archive.GetEntry("word/document.xml") is not null || DeclaresWordMainPart(archive, types)))
            {
                return DetectedFileType.Docx;
            }

            if (archive.GetEntry("mimetype") is { } mimetype && archive.GetEntry("content.xml") is not null)
            {
                // Read only a handful of bytes: the entry could claim any size.
                using var stream = mimetype.Open();
                var buffer = new byte[OdtMimeType.Length + 1];
                var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                if (Encoding.ASCII.GetString(buffer, 0, read).Trim() == OdtMimeType)
                {
                    return DetectedFileType.Odt;
                }
            }
        }
        catch (InvalidDataException)
        {
            throw new UnsupportedFileTypeException("This looks like a damaged ZIP archive.");
        }

        throw new UnsupportedFileTypeException("This is a ZIP archive, not a Word or OpenDocument text document.");
    }

    /// <summary>The signature of an OLE compound file: Office 97-2003 documents, and Office files encrypted with a password.</summary>
    private static ReadOnlySpan<byte> OleSignature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>
    /// Tells the kinds of compound file apart by the names of the streams inside (stored as UTF-16 in its directory,
    /// which may be anywhere in the file): a Word document, a password-protected Office file, or something else.
    /// </summary>
    private static DetectedFileType DetectOle(Stream seekable)
    {
        var names = FindUtf16Names(seekable, "WordDocument", "EncryptedPackage", "Workbook", "PowerPoint Document");
        if (names.Contains("EncryptedPackage"))
            throw new UnreadableDocumentException("The document is password protected. Remove the password (in Word: File, Info, Protect document), then upload it again.");
        if (names.Contains("WordDocument")) return DetectedFileType.Doc;
        if (names.Contains("Workbook")) throw new UnsupportedFileTypeException("This is an Excel 97-2003 workbook, not a document.");
        if (names.Contains("PowerPoint Document")) throw new UnsupportedFileTypeException("This is a PowerPoint 97-2003 presentation, not a document.");
        throw new UnsupportedFileTypeException("This is an old-style Office file that is not a Word document. Save it as DOCX or PDF first.");
    }

    private static HashSet<string> FindUtf16Names(Stream seekable, params string[] names)
    {
        var patterns = names.ToDictionary(n => n, n => Encoding.Unicode.GetBytes(n));
        var overlap = patterns.Values.Max(p => p.Length);
        var found = new HashSet<string>();
        var buffer = new byte[64 * 1024 + overlap];
        var kept = 0;
        seekable.Position = 0;
        int read;
        while ((read = seekable.Read(buffer, kept, buffer.Length - kept)) > 0)
        {
            var span = buffer.AsSpan(0, kept + read);
            foreach (var (name, pattern) in patterns)
                if (!found.Contains(name) && span.IndexOf(pattern) >= 0) found.Add(name);
            kept = Math.Min(overlap, span.Length);
            span[^kept..].CopyTo(buffer);
        }
        return found;
    }

    /// <summary>
    /// A Word document need not keep its main part at word/document.xml: the package's relationships (_rels/.rels) name
    /// it, and the content types say what it is. Both are read only up to a small limit: an entry can claim any size.
    /// </summary>
    private static bool DeclaresWordMainPart(System.IO.Compression.ZipArchive archive, System.IO.Compression.ZipArchiveEntry types)
    {
        if (archive.GetEntry("_rels/.rels") is not { } relationships) return false;
        var target = OfficeDocumentTarget().Match(ReadSmall(relationships)) is { Success: true } m ? m.Groups["target"].Value.TrimStart('/') : null;
        return target is not null && archive.GetEntry(target) is not null
            && ReadSmall(types).Contains("wordprocessingml.document.main+xml", StringComparison.Ordinal);
    }

    private static string ReadSmall(System.IO.Compression.ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        var buffer = new byte[256 * 1024];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<Relationship\b(?=[^>]*\bType=""[^""]*/officeDocument"")[^>]*\bTarget=""(?<target>[^""]+)""")]
    private static partial System.Text.RegularExpressions.Regex OfficeDocumentTarget();

    private static string? DescribeKnownBinary(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("MZ"u8) || head.StartsWith("\u007fELF"u8))
        {
            return "This is a program file, not a document.";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ||
            head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ||
            head.StartsWith("GIF8"u8))
        {
            return "This is an image. Put it in a PDF first.";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "This text file is encoded as UTF-16. Save it as UTF-8 first.";
        }

        return null;
    }

    private static DetectedFileType DetectText(Stream stream, string? originalFileName)
    {
        // Decode the whole file strictly: a text file must be valid UTF-8 throughout, not just at the start.
        var decoder = StrictUtf8.GetDecoder();
        var bytes = new byte[16384];
        var chars = new char[StrictUtf8.GetMaxCharCount(bytes.Length)];
        var sample = new StringBuilder(TextSampleChars);
        long totalChars = 0, controlChars = 0;
        int read;
        do
        {
            read = stream.Read(bytes, 0, bytes.Length);
            int charCount;
            try
            {
                charCount = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
            }
            catch (DecoderFallbackException)
            {
                throw new UnsupportedFileTypeException("This is not a document we recognise, or a text file that is not UTF-8.");
            }

            for (var i = 0; i < charCount; i++)
            {
                var c = chars[i];
                if (c == '\0')
                {
                    throw new UnsupportedFileTypeException("This is a binary file, not a document.");
                }

                if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\v' or '\u001b'))
                {
                    controlChars++;
                }
            }

            totalChars += charCount;
            if (sample.Length < TextSampleChars)
            {
                sample.Append(chars, 0, Math.Min(charCount, TextSampleChars - sample.Length));
            }
        }
        while (read > 0);

        // Valid UTF-8 can still be binary junk; real text has almost no control characters.
        if (controlChars * 100 > totalChars)
        {
            throw new UnsupportedFileTypeException("This is a binary file, not a document.");
        }

        var text = sample.ToString().TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text) && totalChars <= TextSampleChars)
        {
            throw new EmptyFileException();
        }

        return ClassifyText(text, originalFileName);
    }

    private static DetectedFileType ClassifyText(string sample, string? originalFileName)
    {
        var trimmed = sample.TrimStart();
        if (trimmed.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            return DetectedFileType.Html;
        }

        // Markdown may embed HTML tags, so the name wins over the tag heuristic below.
        var extension = Path.GetExtension(originalFileName ?? "").ToLowerInvariant();
        if (extension is ".md" or ".markdown")
        {
            return DetectedFileType.Markdown;
        }

        var start = trimmed.Length > 1024 ? trimmed[..1024] : trimmed;
        if (StructuralHtmlTag().IsMatch(start) || (start.StartsWith('<') && CommonHtmlTag().IsMatch(start)))
        {
            return DetectedFileType.Html;
        }

        return MarkdownMarker().IsMatch(sample) ? DetectedFileType.Markdown : DetectedFileType.PlainText;
    }

    [GeneratedRegex(@"<(body|head)[\s>]", RegexOptions.IgnoreCase)]
    private static partial Regex StructuralHtmlTag();

    [GeneratedRegex(@"<(p|div|table|h[1-6]|ul|ol|br|span|a)[\s/>]", RegexOptions.IgnoreCase)]
    private static partial Regex CommonHtmlTag();

    // An ATX heading ("# Title"), a code fence, or an inline link: things plain text rarely has.
    [GeneratedRegex(@"^(#{1,6} \S|```|~~~)|\[[^\]\n]+\]\([^)\s]+\)", RegexOptions.Multiline)]
    private static partial Regex MarkdownMarker();
}
