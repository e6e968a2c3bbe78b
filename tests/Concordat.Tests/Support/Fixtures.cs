using System.IO.Compression;
using System.Text;
using Concordat.Demo;

namespace Concordat.Tests.Support;

/// <summary>Real files made in code, so no test depends on a checked-in binary.</summary>
public static class Fixtures
{
    public static DocumentContent Content(string title, string marker, int pages = 2) =>
        DemoDocuments.ForAgreement(title, "DSA-TEST", $"The purpose is {marker} for the residents of the borough.",
            [("London Fire Brigade", "Joint controller"), ("London Borough of Camden", "Joint controller")], ["Fire and Rescue Services Act 2004 s6"], pages);

    public static byte[] Pdf(string marker, int pages = 2) => AgreementDocumentWriter.Pdf(Content("Test agreement", marker, pages));

    public static byte[] Docx(string marker) =>
        AgreementDocumentWriter.Docx(Content("Test agreement", marker), [("London Fire Brigade", "Joint controller"), ("Refuge", "Recipient")]);

    public static byte[] Odt(string text)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            // The mimetype entry comes first and uncompressed, as the OpenDocument format requires.
            var mimetype = zip.CreateEntry("mimetype", CompressionLevel.NoCompression);
            using (var w = new StreamWriter(mimetype.Open(), new UTF8Encoding(false))) w.Write("application/vnd.oasis.opendocument.text");
            var manifest = zip.CreateEntry("META-INF/manifest.xml");
            using (var w = new StreamWriter(manifest.Open()))
                w.Write("""<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>""");
            var content = zip.CreateEntry("content.xml");
            using (var w = new StreamWriter(content.Open()))
                w.Write($"""<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:h text:outline-level="1">Agreement</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>""");
        }
        return stream.ToArray();
    }

    public static byte[] PlainZip()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        using (var w = new StreamWriter(zip.CreateEntry("notes.txt").Open())) w.Write("not a document");
        return stream.ToArray();
    }

    /// <summary>A zip that looks like a DOCX but whose document part expands to far more than it weighs.</summary>
    public static byte[] ZipBombDocx(long expandedBytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open()))
                w.Write("""<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""");
            using (var w = new StreamWriter(zip.CreateEntry("_rels/.rels").Open()))
                w.Write("""<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""");
            using var doc = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 1 << 20));
            var head = Encoding.ASCII.GetBytes("""<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>""");
            doc.Write(head);
            for (long written = 0; written < expandedBytes; written += chunk.Length) doc.Write(chunk);
        }
        return stream.ToArray();
    }

    public static byte[] Png() =>
        Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public static byte[] Exe() => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, .. new byte[200]];
}
