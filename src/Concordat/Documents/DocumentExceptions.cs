namespace Concordat.Documents;

/// <summary>
/// Base for problems with an uploaded document that the user can act on. Messages are plain English
/// and safe to show to the person who uploaded the file.
/// </summary>
public abstract class DocumentRejectedException : Exception
{
    protected DocumentRejectedException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The upload is bigger than the configured limit.</summary>
public sealed class FileTooLargeException(long maxBytes)
    : DocumentRejectedException($"The file is larger than the {SizeText.Format(maxBytes)} limit.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>The upload contains no bytes.</summary>
public sealed class EmptyFileException() : DocumentRejectedException("The file is empty.");

/// <summary>The content is not one of the accepted document types, whatever its name says.</summary>
public sealed class UnsupportedFileTypeException(string reason)
    : DocumentRejectedException($"{reason} {AcceptedTypesDescription}")
{
    /// <summary>One sentence listing what can be uploaded, for error messages and upload forms.</summary>
    public static string AcceptedTypesDescription { get; } =
        "Accepted types are: " + string.Join(", ", FileFormatText.All.Select(FileFormatText.DisplayName)) + ".";

    /// <summary>Why this particular file was refused, without the list of accepted types.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The document is of an accepted type but cannot be read (damaged, truncated, password protected).</summary>
public class UnreadableDocumentException(string message, Exception? inner = null)
    : DocumentRejectedException(message, inner);

/// <summary>The document unpacks to more data than allowed (for example a ZIP bomb disguised as DOCX).</summary>
public sealed class DocumentTooLargeException(string message) : DocumentRejectedException(message);

/// <summary>
/// A stored blob no longer matches its hash. This is a storage integrity failure, not a user error,
/// so it deliberately does not derive from <see cref="DocumentRejectedException"/>.
/// </summary>
public sealed class BlobCorruptException(string expectedSha256, string actualSha256)
    : IOException($"Stored blob {expectedSha256} is corrupt: its content now hashes to {actualSha256}.")
{
    public string ExpectedSha256 { get; } = expectedSha256;
    public string ActualSha256 { get; } = actualSha256;
}

internal static class SizeText
{
    /// <summary>Human-readable binary size, e.g. "25 MB", for messages.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}
