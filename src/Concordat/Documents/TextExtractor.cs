using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Concordat.Documents;

/// <summary>
/// Extracts readable text from an accepted document, falling back to OCR for scanned PDFs.
/// Problems the uploader can fix surface as <see cref="DocumentRejectedException"/> subclasses.
/// </summary>
public sealed class TextExtractor
{
    private readonly DocumentOptions _options;
    private readonly ILogger<TextExtractor> _logger;

    public TextExtractor(IOptions<DocumentOptions> options, ILogger<TextExtractor>? logger = null)
    {
        _options = options.Value;
        _logger = logger ?? NullLogger<TextExtractor>.Instance;
    }

    /// <param name="path">The file, typically <see cref="StagedBlob.TempPath"/>.</param>
    /// <param name="type">What <see cref="FileTypeDetector"/> found the file to be.</param>
    public async Task<ExtractedText> ExtractAsync(string path, DetectedFileType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(type);
        cancellationToken.ThrowIfCancellationRequested();

        return type.Kind switch
        {
            FileFormat.Pdf => await ExtractPdfAsync(path, cancellationToken),
            FileFormat.Docx => ReadZipBased(() => DocxTextReader.Read(path, _options, cancellationToken), "Word document"),
            FileFormat.Odt => ReadZipBased(() => OdtTextReader.Read(path, _options, cancellationToken), "OpenDocument file"),
            FileFormat.Html => HtmlTextReader.Read(path, cancellationToken),
            FileFormat.Markdown or FileFormat.PlainText => PlainTextReader.Read(path),
            FileFormat.Doc or FileFormat.Rtf => await ExtractLegacyAsync(path, type, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "Unknown file kind."),
        };
    }

    private async Task<ExtractedText> ExtractPdfAsync(string path, CancellationToken cancellationToken)
    {
        PdfTextReader.Result pdf;
        try
        {
            pdf = PdfTextReader.Read(path, _options.MaxExpandedBytes, cancellationToken);
        }
        catch (PdfNotParsedException e)
        {
            pdf = (PopplerTextReader.IsAvailable() ? await PopplerTextReader.ReadAsync(path, TimeSpan.FromSeconds(_options.OcrTimeoutSeconds), cancellationToken) : null)
                ?? throw new UnreadableDocumentException(e.Message, e.InnerException);
            _logger.LogInformation("PDF {Path} read by poppler after PdfPig could not parse it: {Reason}", path, e.InnerException?.Message);
        }

        // Scans often carry stray non-letter marks; with no letters at all there is no usable text layer.
        if (pdf.Text.Any(char.IsLetter))
        {
            return ExtractedText.From(pdf.Text, pdf.PageCount, TextSource.TextLayer);
        }

        if (!_options.OcrEnabled || !PdfOcr.IsAvailable())
        {
            _logger.LogInformation("PDF {Path} has no text layer and OCR is {State}.", path,
                _options.OcrEnabled ? "not installed" : "disabled");
            return ExtractedText.Nothing(pdf.PageCount);
        }

        try
        {
            var text = await PdfOcr.RecognizeAsync(path, _options.OcrMaxPages,
                TimeSpan.FromSeconds(_options.OcrTimeoutSeconds), cancellationToken, _options.OcrWorkFolder);
            return ExtractedText.From(text, pdf.PageCount, TextSource.Ocr);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            // OCR is best effort: the document is still valid, it just has no searchable text.
            _logger.LogWarning(e, "OCR failed for PDF {Path}.", path);
            return ExtractedText.Nothing(pdf.PageCount);
        }
    }

    private async Task<ExtractedText> ExtractLegacyAsync(string path, DetectedFileType type, CancellationToken cancellationToken)
    {
        if (!LegacyDocumentReader.IsAvailable(_options))
        {
            _logger.LogInformation("{Format} kept without text: {Converter} is not installed.", type.Extension, _options.LegacyConverter);
            return ExtractedText.Nothing(null);
        }
        try
        {
            return await LegacyDocumentReader.ReadAsync(path, type, _options, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new UnreadableDocumentException(
                $"The {FileFormatText.DisplayName(type.Kind)} could not be read. It may be damaged; open it in Word, save it as DOCX or PDF, then upload it.", e);
        }
    }

    private static ExtractedText ReadZipBased(Func<ExtractedText> read, string description)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or OpenXmlPackageException
                                      or FileFormatException or InvalidOperationException or NotSupportedException)
        {
            throw new UnreadableDocumentException(
                $"The {description} could not be read. It may be damaged or incomplete; try saving it again.", e);
        }
    }
}
