namespace Concordat.Documents;

/// <summary>
/// Reads Word 97-2003 (.doc) and RTF files, which real back catalogues are full of, by having LibreOffice convert a copy
/// to plain text in headless mode. The converter runs as a child process with a throwaway profile and home of its own, a
/// time limit and an address-space limit, so a hostile file costs at most those; the original file is what is stored and
/// downloaded. Optional like OCR: without LibreOffice such files are kept without searchable text.
/// </summary>
internal static class LegacyDocumentReader
{
    const long MemoryLimitBytes = 2L * 1024 * 1024 * 1024;

    public static bool IsAvailable(DocumentOptions options) => ExternalTool.Find(options.LegacyConverter) is not null;

    public static async Task<ExtractedText> ReadAsync(string path, DetectedFileType type, DocumentOptions options, CancellationToken cancellationToken)
    {
        var converter = ExternalTool.Find(options.LegacyConverter) ?? throw new InvalidOperationException($"{options.LegacyConverter} is not installed.");
        var work = Directory.CreateTempSubdirectory("concordat-convert-").FullName;
        try
        {
            // The converter picks its import filter partly by name; the staged file has none.
            var input = Path.Combine(work, "document" + type.Extension);
            File.Copy(path, input);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.LegacyConverterTimeoutSeconds));
            try
            {
                await ExternalTool.RunAsync(converter,
                    ["--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck", $"-env:UserInstallation=file://{work}/profile",
                     "--convert-to", "txt:Text (encoded):UTF8", "--outdir", Path.Combine(work, "out"), input],
                    timeout.Token, new Dictionary<string, string> { ["HOME"] = work }, MemoryLimitBytes);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UnreadableDocumentException(
                    $"The {FileFormatText.DisplayName(type.Kind)} took longer than {options.LegacyConverterTimeoutSeconds} seconds to read. Save it as DOCX or PDF, then upload it.");
            }
            var output = Path.Combine(work, "out", "document.txt");
            if (!File.Exists(output))
                throw new UnreadableDocumentException(
                    $"The {FileFormatText.DisplayName(type.Kind)} could not be read. It may be damaged or password protected; open it in Word, save it as DOCX or PDF, then upload it.");
            var text = (await File.ReadAllTextAsync(output, cancellationToken)).TrimStart('\uFEFF');
            return ExtractedText.From(text, null, TextSource.TextLayer);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
