using System.Diagnostics;
using System.IO.Compression;
using Concordat.Documents;
using Microsoft.Extensions.Options;

namespace Concordat.Tests.Documents;

public sealed class ZipBombTests : IDisposable
{
    private const long FiveHundredMegabytes = 500L * 1024 * 1024;
    private readonly TempDirectory _dir = new();
    private readonly DocumentOptions _options = new() { OcrEnabled = false };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Docx_expanding_to_500_MB_is_refused_quickly_with_bounded_memory()
    {
        var path = _dir.File("bomb.docx");
        var compressed = Fixtures.WriteDocxBomb(path, FiveHundredMegabytes);
        Assert.True(compressed < 5 * 1024 * 1024, $"bomb should be small on disk, was {compressed} bytes");

        // Detection already refuses it from the declared sizes...
        Assert.Throws<DocumentTooLargeException>(() => new FileTypeDetector(_options).Detect(path));

        // ...and so does extraction, for callers that skip detection.
        var extractor = new TextExtractor(Options.Create(_options));
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DocumentTooLargeException>(() => extractor.ExtractAsync(path, DetectedFileType.Docx));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 32 * 1024 * 1024);
        Assert.Contains("unpacks to more than 100 MB", error.Message);
    }

    /// <summary>A PDF stream has no size of its own to check: it is inflated into a small buffer and counted, so no large one is ever made.</summary>
    [Fact]
    public async Task Pdf_whose_stream_inflates_to_500_MB_is_refused_without_holding_it()
    {
        var path = _dir.File("bomb.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.PdfBomb(FiveHundredMegabytes));
        Assert.True(new FileInfo(path).Length < 1024 * 1024, $"the bomb should be small on disk, was {new FileInfo(path).Length} bytes");
        var extractor = new TextExtractor(Options.Create(_options));
        var type = new FileTypeDetector(_options).Detect(path);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DocumentTooLargeException>(() => extractor.ExtractAsync(path, type));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 32 * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB reading a 500 MB bomb");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("unpacks to more than 100 MB", error.Message);
    }

    [Fact]
    public async Task Pdf_streams_within_the_limit_are_read_and_the_limit_is_the_files_setting()
    {
        var path = _dir.File("spacious.pdf");
        await File.WriteAllBytesAsync(path, Fixtures.PdfBomb(3 * 1024 * 1024));
        var type = new FileTypeDetector(_options).Detect(path);

        // Three megabytes of spaces: read (no text) under the default limit, refused under a 2 MB one.
        Assert.Equal(1, (await new TextExtractor(Options.Create(_options)).ExtractAsync(path, type)).PageCount);
        var strict = new DocumentOptions { OcrEnabled = false, MaxExpandedBytes = 2 * 1024 * 1024 };
        await Assert.ThrowsAsync<DocumentTooLargeException>(() => new TextExtractor(Options.Create(strict)).ExtractAsync(path, type));
    }

    [Fact]
    public async Task Bomb_that_lies_about_its_sizes_is_still_refused()
    {
        var path = _dir.File("liar.docx");
        Fixtures.WriteDocxBomb(path, FiveHundredMegabytes);
        Fixtures.ForgeDeclaredSizes(path, claimedSize: 1000);
        var extractor = new TextExtractor(Options.Create(_options));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<DocumentRejectedException>(() => extractor.ExtractAsync(path, DetectedFileType.Docx));

        // .NET stops inflating at the declared size and our budget counts real output; either way no
        // more than the limit is ever decompressed, so refusal is quick.
        Assert.True(error is DocumentTooLargeException or UnreadableDocumentException, error.GetType().Name);
        Console.WriteLine($"liar refused with {error.GetType().Name}: {error.Message} / {error.InnerException?.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Odt_bomb_is_refused()
    {
        var path = _dir.File("bomb.odt");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var mimetype = new StreamWriter(archive.CreateEntry("mimetype", CompressionLevel.NoCompression).Open()))
            {
                mimetype.Write("application/vnd.oasis.opendocument.text");
            }

            using var content = archive.CreateEntry("content.xml", CompressionLevel.Optimal).Open();
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)' ');
            for (var i = 0; i < 200; i++) content.Write(chunk);
        }

        var extractor = new TextExtractor(Options.Create(_options));

        await Assert.ThrowsAsync<DocumentTooLargeException>(() => extractor.ExtractAsync(path, DetectedFileType.Odt));
    }

    [Fact]
    public async Task Too_many_entries_are_refused_before_reading_them()
    {
        var path = _dir.File("many.docx");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            archive.CreateEntry("[Content_Types].xml");
            archive.CreateEntry("word/document.xml");
            for (var i = 0; i < 50; i++) archive.CreateEntry($"word/media/{i}.bin");
        }

        var options = new DocumentOptions { MaxZipEntries = 20, OcrEnabled = false };

        Assert.Throws<DocumentTooLargeException>(() => new FileTypeDetector(options).Detect(path));
        await Assert.ThrowsAsync<DocumentTooLargeException>(() =>
            new TextExtractor(Options.Create(options)).ExtractAsync(path, DetectedFileType.Docx));
    }

    [Fact]
    public void Declared_entry_count_is_read_from_the_end_record()
    {
        var path = _dir.File("count.zip");
        Fixtures.WriteZip(path, ("a", "1"), ("b", "2"), ("c", "3"));

        using var stream = File.OpenRead(path);

        Assert.Equal(3, ZipGuard.ReadDeclaredEntryCount(stream));
    }

    [Fact]
    public void Expansion_budget_counts_real_decompressed_bytes()
    {
        // 50 MB of zeros deflates to a few tens of KB; only actual output can reveal its size.
        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 50; i++) deflate.Write(zeros);
        }

        compressed.Position = 0;
        var budget = new ExpansionBudget(4 * 1024 * 1024);
        using var limited = budget.Wrap(new DeflateStream(compressed, CompressionMode.Decompress));

        Assert.Throws<DocumentTooLargeException>(() => limited.CopyTo(Stream.Null));
        Assert.InRange(budget.UsedBytes, 4 * 1024 * 1024 + 1, 5 * 1024 * 1024);
    }
}
