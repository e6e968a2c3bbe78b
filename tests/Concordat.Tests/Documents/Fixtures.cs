using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Concordat.Tests.Documents;

/// <summary>Generates the documents the tests read, so no binary fixtures are checked in.</summary>
public static class Fixtures
{
    private const double A4Width = 595;
    private const double A4Height = 842;

    /// <summary>A PDF with one page per entry, each line of an entry drawn in Helvetica.</summary>
    public static byte[] TextPdf(params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(A4Width, A4Height);
            var y = A4Height - 100;
            foreach (var line in lines)
            {
                page.AddText(line, 24, new PdfPoint(60, y), font);
                y -= 40;
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// A PDF whose only page is a picture of text: a text PDF rendered by pdftoppm and embedded as a PNG.
    /// </summary>
    public static byte[] ImageOnlyPdf(TempDirectory dir, params string[] lines) => MixedPdf(dir, null, lines);

    /// <summary>A PDF of a typed page (when <paramref name="typed"/> is given) followed by a scanned one: a picture of <paramref name="scannedLines"/>.</summary>
    public static byte[] MixedPdf(TempDirectory dir, string? typed, params string[] scannedLines)
    {
        var lines = scannedLines;
        var source = dir.File("source.pdf");
        File.WriteAllBytes(source, TextPdf(lines));
        var prefix = dir.File("render");
        using (var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "150", "-singlefile", source, prefix])
               {
                   RedirectStandardError = true,
               })!)
        {
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "pdftoppm failed: " + process.StandardError.ReadToEnd());
        }

        var builder = new PdfDocumentBuilder();
        if (typed is not null)
            builder.AddPage(A4Width, A4Height).AddText(typed, 24, new PdfPoint(60, A4Height - 100), builder.AddStandard14Font(Standard14Font.Helvetica));
        var page = builder.AddPage(A4Width, A4Height);
        page.AddPng(File.ReadAllBytes(prefix + ".png"), new PdfRectangle(0, 0, A4Width, A4Height));
        return builder.Build();
    }

    /// <summary>A DOCX with a heading paragraph, a two-row table, a closing paragraph, a header, a footer and Pages=3.</summary>
    public static void WriteDocx(string path)
    {
        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();

        var header = main.AddNewPart<HeaderPart>();
        header.Header = new Header(new Paragraph(new Run(new Text("OFFICIAL-SENSITIVE header"))));
        var footer = main.AddNewPart<FooterPart>();
        footer.Footer = new Footer(new Paragraph(new Run(new Text("Page footer text"))));

        main.Document = new Document(new Body(
            new Paragraph(new Run(new Text("Data Sharing Agreement"))),
            new Paragraph(
                new Run(new Text("Between the ") { Space = SpaceProcessingModeValues.Preserve }),
                new Run(new RunProperties(new Bold()), new Text("Council")),
                new Run(new Text(" and the Trust.") { Space = SpaceProcessingModeValues.Preserve })),
            new Table(
                new TableRow(Cell("Party"), Cell("Role")),
                new TableRow(Cell("Exampleshire Council"), Cell("Controller"))),
            new Paragraph(new Run(new Text("Signed by both parties."))),
            new SectionProperties(
                new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) },
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) })));

        var app = document.AddExtendedFilePropertiesPart();
        app.Properties = new DocumentFormat.OpenXml.ExtendedProperties.Properties(
            new DocumentFormat.OpenXml.ExtendedProperties.Pages("3"));

        static TableCell Cell(string text) => new(new Paragraph(new Run(new Text(text))));
    }

    /// <summary>A DOCX whose words are also in a footnote, an endnote and a reviewer's comment.</summary>
    public static void WriteDocxWithNotes(string path)
    {
        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        main.Document = new Document(new Body(new Paragraph(new Run(new Text("The body of the agreement.")))));
        main.AddNewPart<FootnotesPart>().Footnotes = new Footnotes(new Footnote(new Paragraph(new Run(new Text("Footnote: kestrel clause")))) { Id = 1 });
        main.AddNewPart<EndnotesPart>().Endnotes = new Endnotes(new Endnote(new Paragraph(new Run(new Text("Endnote: plover schedule")))) { Id = 1 });
        main.AddNewPart<WordprocessingCommentsPart>().Comments = new Comments(new Comment(new Paragraph(new Run(new Text("Comment: heron query")))) { Id = "1", Author = "Reviewer" });
    }

    /// <summary>Moves a DOCX's main part from word/document.xml to word/agreement.xml, as the package allows: the relationships name it.</summary>
    public static void MoveDocxMainPart(string path)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Update);
        Rename(archive, "word/document.xml", "word/agreement.xml");
        if (archive.GetEntry("word/_rels/document.xml.rels") is not null) Rename(archive, "word/_rels/document.xml.rels", "word/_rels/agreement.xml.rels");
        Rewrite(archive, "_rels/.rels", t => t.Replace("word/document.xml", "word/agreement.xml"));
        Rewrite(archive, "[Content_Types].xml", t => t.Replace("/word/document.xml", "/word/agreement.xml"));

        static void Rename(ZipArchive archive, string from, string to)
        {
            var entry = archive.GetEntry(from)!;
            byte[] bytes;
            using (var read = entry.Open()) { var buffer = new MemoryStream(); read.CopyTo(buffer); bytes = buffer.ToArray(); }
            entry.Delete();
            using var write = archive.CreateEntry(to).Open();
            write.Write(bytes);
        }

        static void Rewrite(ZipArchive archive, string name, Func<string, string> change)
        {
            var entry = archive.GetEntry(name)!;
            string text;
            using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry(name).Open());
            writer.Write(change(text));
        }
    }

    /// <summary>An RTF document of the given paragraphs.</summary>
    public static byte[] Rtf(params string[] paragraphs) =>
        Encoding.ASCII.GetBytes("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs22 " + string.Join("\\par ", paragraphs) + "\\par}");

    /// <summary>Converts a file with LibreOffice (as Word would save it, for formats nothing in .NET writes), returning the new file's path.</summary>
    public static string ConvertWithLibreOffice(string source, string format)
    {
        var outDir = Path.Combine(Path.GetDirectoryName(source)!, "converted");
        var start = new ProcessStartInfo("soffice") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--headless", "--norestore", $"-env:UserInstallation=file://{outDir}-profile", "--convert-to", format, "--outdir", outDir, source })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.WaitForExit(120_000);
        var converted = Path.Combine(outDir, Path.GetFileNameWithoutExtension(source) + "." + format);
        if (!File.Exists(converted)) throw new InvalidOperationException($"LibreOffice did not convert {source}: {process.StandardError.ReadToEnd()}");
        return converted;
    }

    /// <summary>
    /// A minimal OLE compound file (the container of Office 97-2003 files and of password-protected Office files) whose
    /// directory holds streams of the given names, empty.
    /// </summary>
    public static byte[] CompoundFile(params string[] streamNames)
    {
        const uint free = 0xFFFFFFFF, endOfChain = 0xFFFFFFFE, fatSector = 0xFFFFFFFD;
        var file = new byte[512 * 3];
        var header = new BinaryWriter(new MemoryStream(file));
        header.Write(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 });
        header.Write(new byte[16]);
        header.Write((ushort)0x3E); header.Write((ushort)3); header.Write((ushort)0xFFFE); header.Write((ushort)9); header.Write((ushort)6);
        header.Write(new byte[6]);
        header.Write(0u); header.Write(1u); header.Write(1u); header.Write(0u); header.Write(4096u); // FAT sectors, first directory sector
        header.Write(endOfChain); header.Write(0u); header.Write(endOfChain); header.Write(0u);        // no mini FAT, no DIFAT sectors
        header.Write(0u);                                                                                  // the FAT is sector 0
        for (var i = 1; i < 109; i++) header.Write(free);
        var fat = new BinaryWriter(new MemoryStream(file, 512, 512));
        fat.Write(fatSector); fat.Write(endOfChain);
        for (var i = 2; i < 128; i++) fat.Write(free);
        var names = new[] { "Root Entry" }.Concat(streamNames).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            var entry = new BinaryWriter(new MemoryStream(file, 1024 + i * 128, 128));
            var name = Encoding.Unicode.GetBytes(names[i]);
            entry.Write(name); entry.Write(new byte[64 - name.Length]);
            entry.Write((ushort)(name.Length + 2)); entry.Write((byte)(i == 0 ? 5 : 2)); entry.Write((byte)1);
            entry.Write(free); entry.Write(i + 1 < names.Length && i > 0 ? (uint)(i + 1) : free); entry.Write(i == 0 && names.Length > 1 ? 1u : free);
            entry.Write(new byte[16 + 4 + 16]);
            entry.Write(endOfChain); entry.Write(0L);
        }
        return file;
    }

    public const string OdtContentXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">
          <office:body>
            <office:text>
              <text:h text:outline-level="1">Information Sharing Protocol</text:h>
              <text:p>Purpose of<text:s/>the <text:span>sharing</text:span> <text:span>agreement</text:span>.</text:p>
              <table:table table:name="Parties">
                <table:table-row>
                  <table:table-cell><text:p>Party</text:p></table:table-cell>
                  <table:table-cell><text:p>Role</text:p></table:table-cell>
                </table:table-row>
                <table:table-row>
                  <table:table-cell><text:p>Police</text:p></table:table-cell>
                  <table:table-cell><text:p>Joint controller</text:p></table:table-cell>
                </table:table-row>
              </table:table>
              <text:p>Review date<text:tab/>2026</text:p>
            </office:text>
          </office:body>
        </office:document-content>
        """;

    /// <summary>An ODT the way LibreOffice lays it out: an uncompressed mimetype entry first.</summary>
    public static void WriteOdt(string path, string contentXml = OdtContentXml, string? stylesXml = null)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        AddEntry(archive, "mimetype", "application/vnd.oasis.opendocument.text", CompressionLevel.NoCompression);
        AddEntry(archive, "content.xml", contentXml);
        if (stylesXml is not null) AddEntry(archive, "styles.xml", stylesXml);
        AddEntry(archive, "META-INF/manifest.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
              <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
              <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
            </manifest:manifest>
            """);
    }

    public const string ContentTypesXml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
          <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
          <Default Extension="xml" ContentType="application/xml"/>
          <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
        </Types>
        """;

    public const string RootRelsXml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
          <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
        </Relationships>
        """;

    /// <summary>A ZIP with the given text entries, in order.</summary>
    public static void WriteZip(string path, params (string Name, string Content)[] entries)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            AddEntry(archive, name, content);
        }
    }

    /// <summary>
    /// A DOCX-shaped ZIP bomb: word/document.xml holds <paramref name="spaceBytes"/> of spaces, streamed into
    /// the archive in chunks so the test itself never holds it in memory. Returns the compressed file size.
    /// </summary>
    public static long WriteDocxBomb(string path, long spaceBytes)
    {
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            AddEntry(archive, "[Content_Types].xml", ContentTypesXml);
            AddEntry(archive, "_rels/.rels", RootRelsXml);
            var entry = archive.CreateEntry("word/document.xml", CompressionLevel.Optimal);
            using var stream = entry.Open();
            stream.Write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"u8);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)' ');
            for (long written = 0; written < spaceBytes; written += chunk.Length)
            {
                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, spaceBytes - written));
            }

            stream.Write("</w:body></w:document>"u8);
        }

        return new FileInfo(path).Length;
    }

    /// <summary>
    /// Rewrites the uncompressed-size field of every central directory record to <paramref name="claimedSize"/>,
    /// making the archive lie about how much it expands to.
    /// </summary>
    public static void ForgeDeclaredSizes(string path, uint claimedSize)
    {
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), claimedSize);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void AddEntry(ZipArchive archive, string name, string content, CompressionLevel level = CompressionLevel.Optimal)
    {
        var entry = archive.CreateEntry(name, level);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    /// <summary>
    /// A one-page PDF whose content stream is <paramref name="spaceBytes"/> of spaces, Flate-compressed (a PDF bomb: a few
    /// hundred kilobytes on disk). The spaces are streamed into the compressor, so the test never holds them.
    /// </summary>
    public static byte[] PdfBomb(long spaceBytes)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (long written = 0; written < spaceBytes; written += spaces.Length)
                zlib.Write(spaces, 0, (int)Math.Min(spaces.Length, spaceBytes - written));
        }
        return Pdf([
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        ], (4, $"<< /Length {compressed.Length} /Filter /FlateDecode >>", compressed.ToArray()));
    }

    /// <summary>
    /// A one-page text PDF whose catalog dictionary is never closed: damage PdfPig gives up on and poppler repairs, as it
    /// does for real government PDFs that PdfPig refused.
    /// </summary>
    public static byte[] PdfWithUnclosedCatalog(string text)
    {
        var content = Encoding.ASCII.GetBytes($"BT /F1 24 Tf 72 720 Td ({text}) Tj ET");
        return Pdf([
            "<< /Type /Catalog /Pages 2 0 R",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        ], (4, $"<< /Length {content.Length} >>", content), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    }

    /// <summary>A well-formed PDF with a page tree and no pages.</summary>
    public static byte[] PdfWithoutPages() => Pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"]);

    /// <summary>A PDF of the given objects (numbered from 1) and at most one stream object after them, with its cross-reference table.</summary>
    private static byte[] Pdf(string[] objects, (int Number, string Dictionary, byte[] Data)? stream = null, string? afterStream = null)
    {
        var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Write(string s) => pdf.Write(Encoding.Latin1.GetBytes(s));
        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        if (stream is { } s)
        {
            offsets.Add(pdf.Position);
            Write($"{s.Number} 0 obj\n{s.Dictionary}\nstream\n");
            pdf.Write(s.Data);
            Write("\nendstream\nendobj\n");
        }
        if (afterStream is not null)
        {
            offsets.Add(pdf.Position);
            Write($"{offsets.Count} 0 obj\n{afterStream}\nendobj\n");
        }
        var xref = pdf.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Write($"{offset:D10} 00000 n \n");
        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    /// <summary>
    /// A one-page PDF genuinely encrypted with the Standard security handler, revision 2 (40-bit RC4),
    /// following ISO 32000-1 §7.6.3 algorithms 1-4. Opening it needs <paramref name="userPassword"/>.
    /// </summary>
    public static byte[] EncryptedPdf(string userPassword, string ownerPassword, string text)
    {
        var id = Convert.FromHexString("0123456789ABCDEF0123456789ABCDEF");
        const int permissions = -4; // all permitted; R2 requires the two low bits clear

        // Algorithm 3: O = RC4(MD5(padded owner)[0..5], padded user).
        var ownerKey = MD5.HashData(Pad(ownerPassword))[..5];
        var o = Rc4(ownerKey, Pad(userPassword));

        // Algorithm 2: file key = MD5(padded user + O + P + first ID)[0..5].
        var keyInput = new List<byte>();
        keyInput.AddRange(Pad(userPassword));
        keyInput.AddRange(o);
        keyInput.AddRange(BitConverter.GetBytes(permissions));
        keyInput.AddRange(id);
        var fileKey = MD5.HashData(keyInput.ToArray())[..5];

        // Algorithm 4: U = RC4(file key, padding).
        var u = Rc4(fileKey, PasswordPadding);

        // Algorithm 1: each object's strings and streams use MD5(file key + object number + generation).
        const int contentObject = 4;
        var objectKey = MD5.HashData([.. fileKey, contentObject, 0, 0, 0, 0])[..(fileKey.Length + 5)];
        var content = Rc4(objectKey, Encoding.ASCII.GetBytes($"BT /F1 24 Tf 72 720 Td ({text}) Tj ET"));

        var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Write(string s) => pdf.Write(Encoding.Latin1.GetBytes(s));
        void StartObject() => offsets.Add(pdf.Position);

        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        StartObject();
        Write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        StartObject();
        Write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        StartObject();
        Write("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>\nendobj\n");
        StartObject();
        Write($"4 0 obj\n<< /Length {content.Length} >>\nstream\n");
        pdf.Write(content);
        Write("\nendstream\nendobj\n");
        StartObject();
        Write("5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
        StartObject();
        Write($"6 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <{Convert.ToHexString(o)}> /U <{Convert.ToHexString(u)}> /P {permissions} >>\nendobj\n");

        var xref = pdf.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }

        var hexId = Convert.ToHexString(id);
        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Encrypt 6 0 R /ID [<{hexId}> <{hexId}>] >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static readonly byte[] PasswordPadding = Convert.FromHexString(
        "28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A");

    private static byte[] Pad(string password)
    {
        var bytes = Encoding.Latin1.GetBytes(password);
        return [.. bytes.Take(32), .. PasswordPadding.Take(32 - Math.Min(32, bytes.Length))];
    }

    private static byte[] Rc4(byte[] key, byte[] data)
    {
        var s = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        for (int i = 0, j = 0; i < 256; i++)
        {
            j = (j + s[i] + key[i % key.Length]) & 0xFF;
            (s[i], s[j]) = (s[j], s[i]);
        }

        var output = new byte[data.Length];
        for (int n = 0, i = 0, j = 0; n < data.Length; n++)
        {
            i = (i + 1) & 0xFF;
            j = (j + s[i]) & 0xFF;
            (s[i], s[j]) = (s[j], s[i]);
            output[n] = (byte)(data[n] ^ s[(s[i] + s[j]) & 0xFF]);
        }

        return output;
    }
}
