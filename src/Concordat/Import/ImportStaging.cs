using System.IO.Compression;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Import;

/// <summary>
/// Where an import uploaded as a ZIP waits between its check and its run. The ZIP itself is kept in the blob store (shared
/// by every node) under a <see cref="StagedImport"/> row, so whichever node runs or resumes the job has it; each node
/// unpacks it into a scratch folder of its own (Concordat:Import:StagingFolder, data/imports) only while it checks or
/// runs it. Owned by the person who uploaded it, removed once run or after a day.
/// </summary>
public sealed class ImportStaging(ConcordatDb db, IBlobStore blobs, IConfiguration configuration, TimeProvider clock)
{
    public const long MaxUncompressedBytes = 4L << 30;
    public const int MaxEntries = 20_000;
    static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    string Root => Path.GetFullPath(configuration["Concordat:Import:StagingFolder"] ?? "data/imports");

    /// <summary>
    /// Keeps an uploaded ZIP for a later run when <paramref name="check"/>, given it unpacked, says it can run. Returns its
    /// id (null when the check said no), or why the ZIP cannot be used. A refused ZIP leaves nothing behind: no row, no
    /// blob, no scratch folder.
    /// </summary>
    public async Task<(string? Id, string? Problem)> StageAsync(Stream zip, long maxBytes, string owner, Func<UnpackedImport, Task<bool>> check, CancellationToken ct)
    {
        await SweepOldAsync(ct);
        await using var blob = await blobs.StageAsync(zip, maxBytes, ct);
        var id = Guid.NewGuid().ToString("N");
        string? problem;
        await using (var unpacked = new UnpackedImport(id, Path.Combine(Root, id)))
        {
            await using (var read = File.OpenRead(blob.TempPath)) problem = Unpack(read, unpacked.Folder);
            if (problem is not null) return (null, problem);
            if (!await check(unpacked)) return (null, null);
        }
        await blobs.CommitAsync(blob, ct);
        db.StagedImports.Add(new StagedImport { Id = id, Owner = owner, Sha256 = blob.Sha256, SizeBytes = blob.SizeBytes, Created = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct); // should this fail, the committed blob has no reference and the sweeper removes it
        return (id, null);
    }

    /// <summary>True if the id names an import this person staged that has not yet run or expired.</summary>
    public Task<bool> IsStagedAsync(string? id, string owner, CancellationToken ct) =>
        id is null || !Guid.TryParseExact(id, "N", out _) ? Task.FromResult(false)
            : db.StagedImports.AnyAsync(s => s.Id == id && s.Owner == owner && s.Created > clock.GetUtcNow() - KeptFor, ct);

    /// <summary>
    /// Unpacks a staged import, fetched from the blob store, into this node's scratch folder for a run; null if the id names
    /// no import of this person's. Disposing the result deletes the folder.
    /// </summary>
    public async Task<UnpackedImport?> UnpackAsync(string id, string owner, CancellationToken ct)
    {
        if (await db.StagedImports.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.Owner == owner, ct) is not { } staged) return null;
        var unpacked = new UnpackedImport(id, Path.Combine(Root, $"{id}-{Guid.NewGuid():N}"));
        try
        {
            await using (var zip = await blobs.OpenVerifiedAsync(staged.Sha256, ct))
                if (Unpack(zip, unpacked.Folder) is { } problem) throw new InvalidDataException($"Staged import {id} no longer unpacks: {problem}");
            return unpacked;
        }
        catch
        {
            await unpacked.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets a staged import; its ZIP, now referred to by nothing, goes with the blob sweeper's next pass.</summary>
    public Task DeleteAsync(string id, CancellationToken ct) => db.StagedImports.Where(s => s.Id == id).ExecuteDeleteAsync(ct);

    /// <summary>Unpacks into <paramref name="folder"/>, refusing paths outside it and ZIPs too big to take; null when it worked.</summary>
    static string? Unpack(Stream zip, string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
            if (archive.Entries.Count > MaxEntries) return $"The ZIP holds {archive.Entries.Count:N0} files; import at most {MaxEntries:N0} at a time.";
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')) continue;
                var target = Path.GetFullPath(Path.Combine(folder, entry.FullName.Replace('\\', '/')));
                if (!target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    return $"The ZIP holds \"{entry.FullName}\", a path outside the ZIP itself, so it was not opened.";
                total += entry.Length;
                if (total > MaxUncompressedBytes) return $"The ZIP unpacks to more than {MaxUncompressedBytes >> 30} GB.";
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
            }
            return ManifestIn(folder) is null ? "The ZIP has no manifest: put a CSV file (manifest.csv) beside the agreement files." : null;
        }
        catch (InvalidDataException)
        {
            return "The file is not a ZIP. Put the manifest and the agreement files in a folder, compress it to a .zip and upload that.";
        }
    }

    /// <summary>manifest.csv if there is one (the shallowest), otherwise the only CSV file.</summary>
    internal static string? ManifestIn(string folder)
    {
        var csvs = Directory.EnumerateFiles(folder, "*.csv", SearchOption.AllDirectories).OrderBy(f => f.Count(c => c == Path.DirectorySeparatorChar)).ToList();
        return csvs.FirstOrDefault(f => Path.GetFileName(f).Equals("manifest.csv", StringComparison.OrdinalIgnoreCase)) ?? (csvs.Count == 1 ? csvs[0] : null);
    }

    /// <summary>Staged imports a day old, and this node's scratch folders left by a crash.</summary>
    async Task SweepOldAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - KeptFor;
        await db.StagedImports.Where(s => s.Created < cutoff).ExecuteDeleteAsync(ct);
        if (!Directory.Exists(Root)) return;
        foreach (var folder in Directory.EnumerateDirectories(Root))
            if (Directory.GetCreationTimeUtc(folder) < cutoff.UtcDateTime) UnpackedImport.DeleteFolder(folder);
    }
}

/// <summary>A staged import unpacked in this node's scratch folder; disposing it deletes the folder.</summary>
public sealed class UnpackedImport(string id, string folder) : IAsyncDisposable
{
    public string Id { get; } = id;
    public string Folder { get; } = folder;
    /// <summary>The manifest's path (present once unpacking succeeded).</summary>
    public string Manifest => ImportStaging.ManifestIn(Folder)!;
    /// <summary>The manifest's folder, where the paths it names start (the ZIP may hold the whole folder one level down).</summary>
    public string ManifestFolder => Path.GetDirectoryName(Manifest)!;

    public ValueTask DisposeAsync()
    {
        DeleteFolder(Folder);
        return ValueTask.CompletedTask;
    }

    internal static void DeleteFolder(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>An uploaded import's ZIP, kept in the blob store until it runs (<see cref="ImportStaging"/>).</summary>
public sealed class StagedImport
{
    public required string Id { get; set; }
    /// <summary>The person who uploaded it (<see cref="Viewer.Actor"/>): only they can run it.</summary>
    public required string Owner { get; set; }
    public required string Sha256 { get; set; }
    public long SizeBytes { get; set; }
    public DateTimeOffset Created { get; set; }
}

sealed class StagedImportConfiguration : IEntityTypeConfiguration<StagedImport>
{
    public void Configure(EntityTypeBuilder<StagedImport> e)
    {
        e.ToTable("StagedImports");
        e.Property(s => s.Id).HasMaxLength(32);
        e.Property(s => s.Owner).HasMaxLength(450);
        e.Property(s => s.Sha256).HasMaxLength(64);
        e.HasIndex(s => s.Created);
    }
}

/// <summary>Keeps staged imports' ZIPs from the blob sweeper.</summary>
sealed class StagedImportBlobs : IBlobReferences
{
    public IQueryable<string> Sha256s(ConcordatDb db) => db.StagedImports.Select(s => s.Sha256);
}
