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

    /// <summary>
    /// A PDF's text layer. Pages without one (scans, or scanned pages in a typed document) are not read here: OCR takes
    /// tens of seconds and hundreds of megabytes, so the text is marked <see cref="TextSource.Pending"/> and the file's
    /// scanned pages are read later by <see cref="RecognizeAsync"/>, off the request.
    /// </summary>
    private async Task<ExtractedText> ExtractPdfAsync(string path, CancellationToken cancellationToken)
    {
        var pdf = await ReadPdfAsync(path, cancellationToken);
        if (ScannedPages(pdf).Count == 0)
        {
            return ExtractedText.From(pdf.Text, pdf.PageCount, TextSource.TextLayer);
        }

        if (!_options.OcrEnabled || !PdfOcr.IsAvailable())
        {
            _logger.LogInformation("PDF {Path} has pages without text and OCR is {State}.", path, _options.OcrEnabled ? "not installed" : "disabled");
            return ExtractedText.From(pdf.Text, pdf.PageCount, TextSource.TextLayer);
        }

        return new ExtractedText(pdf.Text, pdf.PageCount, !string.IsNullOrWhiteSpace(pdf.Text), TextSource.Pending);
    }

    /// <summary>
    /// All the text of a PDF whose scanned pages wait to be read (<see cref="TextSource.Pending"/>): the text layer's
    /// pages as they are, and the first <see cref="DocumentOptions.OcrMaxPages"/> pages without text read by OCR, in
    /// page order. Throws <see cref="TimeoutException"/> past <see cref="DocumentOptions.OcrTimeoutSeconds"/>.
    /// </summary>
    public async Task<ExtractedText> RecognizeAsync(string path, CancellationToken cancellationToken = default)
    {
        var pdf = await ReadPdfAsync(path, cancellationToken);
        var scanned = ScannedPages(pdf).Take(_options.OcrMaxPages).ToList();
        var recognised = scanned.Count == 0 ? new Dictionary<int, string>()
            : await PdfOcr.RecognizeAsync(path, scanned, TimeSpan.FromSeconds(_options.OcrTimeoutSeconds), cancellationToken, _options.OcrWorkFolder);
        var pages = pdf.Pages.Select((text, i) => recognised.TryGetValue(i + 1, out var read) ? read : text).Where(p => p.Length > 0);
        var source = recognised.Values.Any(t => t.Any(char.IsLetter)) ? TextSource.Ocr : TextSource.TextLayer;
        return ExtractedText.From(string.Join("\n\n", pages), pdf.PageCount, source);
    }

    /// <summary>Pages with no letters: scans often carry stray marks, but no usable text layer.</summary>
    private static List<int> ScannedPages(PdfTextReader.Result pdf) =>
        pdf.Pages.Select((text, i) => (text, page: i + 1)).Where(p => !p.text.Any(char.IsLetter)).Select(p => p.page).ToList();

    private async Task<PdfTextReader.Result> ReadPdfAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return PdfTextReader.Read(path, _options.MaxExpandedBytes, cancellationToken);
        }
        catch (PdfNotParsedException e)
        {
            var pdf = (PopplerTextReader.IsAvailable() ? await PopplerTextReader.ReadAsync(path, TimeSpan.FromSeconds(_options.OcrTimeoutSeconds), _options.MaxExpandedBytes, cancellationToken) : null)
                ?? throw new UnreadableDocumentException(e.Message, e.InnerException);
            _logger.LogInformation("PDF {Path} read by poppler after PdfPig could not parse it: {Reason}", path, e.InnerException?.Message);
            return pdf;
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
