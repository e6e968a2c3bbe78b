namespace Concordat.Documents;

/// <summary>
/// Settings for document upload, storage and text extraction, bound from "Concordat:Documents".
/// </summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Concordat:Documents";

    /// <summary>Folder holding the content-addressed blobs. Relative paths resolve against the working directory.</summary>
    public string BlobRoot { get; set; } = "data/blobs";

    /// <summary>Largest upload accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Largest total decompressed size of a file's parts (DOCX, ODT) or streams (PDF), in bytes.</summary>
    public long MaxExpandedBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most entries a ZIP-based document may contain.</summary>
    public int MaxZipEntries { get; set; } = 2000;

    /// <summary>Whether scanned (image-only) PDFs are run through OCR when the tools are installed.</summary>
    public bool OcrEnabled { get; set; } = true;

    /// <summary>Time allowed for OCR of one document, rendering included.</summary>
    public int OcrTimeoutSeconds { get; set; } = 120;

    /// <summary>Most PDF pages sent to OCR; later pages are ignored.</summary>
    public int OcrMaxPages { get; set; } = 50;

    /// <summary>Where page images are rendered for OCR, one folder per file, removed after; the system temp folder by default.</summary>
    public string? OcrWorkFolder { get; set; }

    /// <summary>The program that reads Word 97-2003 and RTF files (LibreOffice); without it they are stored without searchable text.</summary>
    public string LegacyConverter { get; set; } = "soffice";

    /// <summary>Time allowed to convert one Word 97-2003 or RTF file to text.</summary>
    public int LegacyConverterTimeoutSeconds { get; set; } = 60;
}
