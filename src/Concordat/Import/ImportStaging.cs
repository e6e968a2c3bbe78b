using System.IO.Compression;

namespace Concordat.Import;

/// <summary>
/// Where an import uploaded as a ZIP waits between its check and its run: a folder per import under
/// Concordat:Import:StagingFolder (data/imports), owned by the person who uploaded it, deleted once run or after a day.
/// </summary>
public sealed class ImportStaging(IConfiguration configuration, TimeProvider clock)
{
    public const long MaxUncompressedBytes = 4L << 30;
    public const int MaxEntries = 20_000;
    static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    string Root => Path.GetFullPath(configuration["Concordat:Import:StagingFolder"] ?? "data/imports");

    /// <summary>Unpacks a ZIP into a new staging folder; returns its id, or why the ZIP cannot be used (and leaves nothing behind).</summary>
    public (string? Id, string? Problem) Unpack(Stream zip, string owner)
    {
        SweepOld();
        var id = Guid.NewGuid().ToString("N");
        var folder = Path.Combine(Root, id);
        Directory.CreateDirectory(folder);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
            if (archive.Entries.Count > MaxEntries) return Fail($"The ZIP holds {archive.Entries.Count:N0} files; import at most {MaxEntries:N0} at a time.");
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')) continue;
                var target = Path.GetFullPath(Path.Combine(folder, entry.FullName.Replace('\\', '/')));
                if (!target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    return Fail($"The ZIP holds \"{entry.FullName}\", a path outside the ZIP itself, so it was not opened.");
                total += entry.Length;
                if (total > MaxUncompressedBytes) return Fail($"The ZIP unpacks to more than {MaxUncompressedBytes >> 30} GB.");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
            }
            if (ManifestIn(folder) is null) return Fail("The ZIP has no manifest: put a CSV file (manifest.csv) beside the agreement files.");
            File.WriteAllText(folder + ".owner", owner);
            return (id, null);
        }
        catch (InvalidDataException)
        {
            return Fail("The file is not a ZIP. Put the manifest and the agreement files in a folder, compress it to a .zip and upload that.");
        }

        (string?, string?) Fail(string problem)
        {
            Delete(id);
            return (null, problem);
        }
    }

    /// <summary>The staged folder's manifest, if the id names a folder this person staged.</summary>
    public string? ManifestFor(string? id, string owner)
    {
        if (id is null || !Guid.TryParseExact(id, "N", out _)) return null;
        var folder = Path.Combine(Root, id);
        return File.Exists(folder + ".owner") && File.ReadAllText(folder + ".owner") == owner ? ManifestIn(folder) : null;
    }

    /// <summary>manifest.csv if there is one (the shallowest), otherwise the only CSV file.</summary>
    static string? ManifestIn(string folder)
    {
        var csvs = Directory.EnumerateFiles(folder, "*.csv", SearchOption.AllDirectories).OrderBy(f => f.Count(c => c == Path.DirectorySeparatorChar)).ToList();
        return csvs.FirstOrDefault(f => Path.GetFileName(f).Equals("manifest.csv", StringComparison.OrdinalIgnoreCase)) ?? (csvs.Count == 1 ? csvs[0] : null);
    }

    public void Delete(string id)
    {
        var folder = Path.Combine(Root, id);
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (IOException) { }
        try { File.Delete(folder + ".owner"); } catch (IOException) { }
    }

    void SweepOld()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var folder in Directory.EnumerateDirectories(Root))
            if (clock.GetUtcNow().UtcDateTime - Directory.GetCreationTimeUtc(folder) > KeptFor) Delete(Path.GetFileName(folder));
    }
}
