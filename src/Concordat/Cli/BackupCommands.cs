using System.CommandLine;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Documents;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Cli;

/// <summary>
/// Getting back and moving in: <c>concordat backup --to folder</c> (the database as a SQLite file, with its keys and
/// audit trail, and every stored file), <c>concordat restore --from folder</c> (into this install's database and file
/// store, which must be empty), and <c>concordat move-data --to-postgres "connection" [--files-to-s3]</c> (an embedded
/// install's database into PostgreSQL, and its files into the new install's bucket). Each copies table by table, can be run again after an interruption to carry on, and ends
/// by comparing every table's rows on both sides.
/// </summary>
public static partial class CommandLine
{
    const string BackupDatabase = "concordat.db", BackupFiles = "blobs";

    static Command BackupCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var to = new Option<string>("--to") { Required = true, Description = "The folder to write the backup into (made if missing)" };
        var backup = new Command("backup", "Copy the database (keys and audit trail included) and every stored file into a folder") { to };
        backup.SetAction(async (parse, ct) =>
        {
            // Only its owner may read it: it holds the keys that sign cookies and every password's hash.
            var folder = Directory.CreateDirectory(parse.GetValue(to)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
            await using var scope = services.CreateAsyncScope();
            await using var copy = SqliteFile(Path.Combine(folder, BackupDatabase));
            await copy.Database.MigrateAsync(ct);
            var tables = await CopyAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), copy, output, errors, ct);
            var files = await CopyFilesAsync(scope.ServiceProvider.GetRequiredService<IBlobStore>(), new FileSystemBlobStore(Path.Combine(folder, BackupFiles)), ct);
            await output.WriteLineAsync($"Files: {files.Copied} copied, {files.Present} already in the backup.");
            return tables ? 0 : 1;
        });
        return backup;
    }

    static Command RestoreCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var from = new Option<string>("--from") { Required = true, Description = "A folder written by concordat backup" };
        var restore = new Command("restore", "Copy a backup into this install's database and file store, which must be empty (migrated, never started)") { from };
        restore.SetAction(async (parse, ct) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(from)!);
            if (!File.Exists(Path.Combine(folder, BackupDatabase)))
            {
                await errors.WriteLineAsync($"{folder} is not a backup: it has no {BackupDatabase}.");
                return 2;
            }
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            await using var backup = SqliteFile(Path.Combine(folder, BackupDatabase));
            await backup.Database.MigrateAsync(ct); // a backup from an earlier version is brought up to this one first
            var tables = await CopyAsync(backup, db, output, errors, ct);
            var files = await CopyFilesAsync(new FileSystemBlobStore(Path.Combine(folder, BackupFiles)), scope.ServiceProvider.GetRequiredService<IBlobStore>(), ct);
            await output.WriteLineAsync($"Files: {files.Copied} copied, {files.Present} already in the store.");
            // This node's search index is rebuilt from what was restored; other nodes rebuild theirs from the outbox.
            var (_, indexed) = await Search.SearchIndex.RebuildAsync(Search.SearchSetup.IndexFolder(scope.ServiceProvider.GetRequiredService<IConfiguration>()), db, ct);
            await output.WriteLineAsync($"Search: {indexed} agreements indexed.");
            return tables ? 0 : 1;
        });
        return restore;
    }

    static Command MoveDataCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var toPostgres = new Option<string>("--to-postgres") { Required = true, Description = "The PostgreSQL connection string of an empty database" };
        var filesToS3 = new Option<bool>("--files-to-s3")
        {
            Description = "Also copy every stored file into the object store that Concordat:Storage:S3 describes (the new install's bucket)",
        };
        var move = new Command("move-data", "Copy this install's database into PostgreSQL (migrating it first), and with --files-to-s3 its files into S3")
        {
            toPostgres, filesToS3,
        };
        move.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            S3BlobStore? bucket = null;
            if (parse.GetValue(filesToS3))
            {
                var settings = scope.ServiceProvider.GetRequiredService<IConfiguration>().GetSection("Concordat:Storage:S3").Get<S3StorageOptions>();
                if (string.IsNullOrWhiteSpace(settings?.Bucket))
                {
                    await errors.WriteLineAsync("--files-to-s3 needs the new install's bucket: set Concordat__Storage__S3__Bucket (and its endpoint and keys) for this command.");
                    return 2;
                }
                bucket = new S3BlobStore(settings);
            }
            using (bucket)
            {
                var options = new DbContextOptionsBuilder<PostgresConcordatDb>();
                DatabaseSetup.UsePostgres(options, parse.GetValue(toPostgres)!);
                await using var target = new PostgresConcordatDb(options.Options);
                await target.Database.MigrateAsync(ct);
                var tables = await CopyAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), target, output, errors, ct);
                if (bucket is not null)
                {
                    var files = await CopyFilesAsync(scope.ServiceProvider.GetRequiredService<IBlobStore>(), bucket, ct);
                    await output.WriteLineAsync($"Files: {files.Copied} copied, {files.Present} already in the bucket.");
                }
                return tables ? 0 : 1;
            }
        });
        return move;
    }

    static ConcordatDb SqliteFile(string path) => new(new DbContextOptionsBuilder<ConcordatDb>().UseSqlite($"Data Source={path};Pooling=False").Options);

    /// <summary>Copies the tables and prints each one's rows on both sides; false (and why, on standard error) when they differ.</summary>
    static async Task<bool> CopyAsync(ConcordatDb source, ConcordatDb target, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        // PostgreSQL keeps times to the microsecond: the audit events' exact times go with them, so the chain still verifies.
        if (target.Database.IsNpgsql()) await AuditTrail.KeepExactTimesAsync(source, ct);
        IReadOnlyList<TableCopy> tables;
        try
        {
            tables = await DataCopy.CopyAsync(source, target, line => output.WriteLine(line), ct);
        }
        catch (DataCopyException e)
        {
            await errors.WriteLineAsync(e.Message);
            return false;
        }
        var different = tables.Where(t => !t.Same).ToList();
        await output.WriteLineAsync($"Tables: {tables.Count} compared, {tables.Sum(t => t.TargetRows)} rows; {tables.Count - different.Count} the same on both sides.");
        foreach (var t in different) await errors.WriteLineAsync($"{t.Table} differs: {t.SourceRows} rows in the source, {t.TargetRows} in the target.");
        return different.Count == 0;
    }

    /// <summary>Every blob the source holds and the target lacks, read back verified and committed; a second run only fills gaps.</summary>
    static async Task<(int Copied, int Present)> CopyFilesAsync(IBlobStore source, IBlobStore target, CancellationToken ct)
    {
        var (copied, present) = (0, 0);
        foreach (var blob in source.ListAll().ToList())
        {
            if (target.Exists(blob.Sha256)) { present++; continue; }
            await using var content = await source.OpenVerifiedAsync(blob.Sha256, ct);
            await using var staged = await target.StageAsync(content, long.MaxValue, ct);
            await target.CommitAsync(staged, ct);
            copied++;
        }
        return (copied, present);
    }
}
