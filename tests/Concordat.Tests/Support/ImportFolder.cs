using System.Text;

namespace Concordat.Tests.Support;

/// <summary>A folder to import: one small text file per agreement and the manifest naming them, all led by the fire brigade.</summary>
public static class ImportFolder
{
    /// <summary>Writes "{title} 1" … "{title} N" and returns the manifest's path.</summary>
    public static string Write(string folder, string title, int count)
    {
        Directory.CreateDirectory(folder);
        var manifest = new StringBuilder("title,lead_organisation,files,purpose\n");
        for (var i = 1; i <= count; i++)
        {
            var file = $"{title.ToLowerInvariant().Replace(' ', '-')}-{i}.txt";
            File.WriteAllText(Path.Combine(folder, file), $"{title} {i}: the agreement's text.");
            manifest.Append($"{title} {i},London Fire Brigade,{file},Referrals for home fire safety visits.\n");
        }
        var path = Path.Combine(folder, "manifest.csv");
        File.WriteAllText(path, manifest.ToString());
        return path;
    }

    /// <summary>The same folder as a ZIP, as the import page takes it; with <paramref name="inFolder"/>, one level down inside it.</summary>
    public static byte[] Zip(string title, int count, string? inFolder = null)
    {
        var root = Directory.CreateTempSubdirectory("concordat-import-zip-").FullName;
        try
        {
            Write(inFolder is null ? root : Path.Combine(root, inFolder), title, count);
            var zip = new MemoryStream();
            System.IO.Compression.ZipFile.CreateFromDirectory(root, zip);
            return zip.ToArray();
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
