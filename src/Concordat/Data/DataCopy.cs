using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Concordat.Data;

/// <summary>A copy that cannot go ahead or did not come out the same; the message says which table and why.</summary>
public sealed class DataCopyException(string message) : Exception(message);

/// <summary>One table of a copy: its rows on each side, whether this run copied it, and whether the two hold the same.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows, bool CopiedNow, bool Same);

/// <summary>
/// Copies every table of one Concordat database into another, on either provider (SQLite to PostgreSQL for a move,
/// either to a SQLite file for a backup, a backup into either for a restore). Both must have the same schema, migrated
/// to this version. Tables go parents first, each in one transaction, so an interrupted copy leaves every table either
/// whole or empty and running it again carries on; a target table that holds anything else is refused. Values go
/// through each side's own mapping (SQLite's times as text, PostgreSQL's as timestamps, JSON columns as jsonb), and at
/// the end every table's rows are hashed on both sides, in key order and in their model's terms, and compared.
/// </summary>
public static class DataCopy
{
    sealed record Column(string Name, string StoreType, Type ProviderType, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter,
        bool IsJson);

    /// <param name="SelfReferences">columns that point at another row of the same table (an agreement it supersedes), set after every row is in</param>
    sealed record Table(string Name, IReadOnlyList<Column> Columns, IReadOnlyList<string> Key, IReadOnlyList<string> SelfReferences);

    public static async Task<IReadOnlyList<TableCopy>> CopyAsync(ConcordatDb source, ConcordatDb target, Action<string> progress, CancellationToken ct)
    {
        // Every read of the source from one snapshot, so a register in use is copied as it was at one moment.
        await using var snapshot = await SnapshotAsync(source, ct);
        var sourceTables = Tables(source).ToDictionary(t => t.Name);
        var tables = Tables(target);
        var counts = new Dictionary<string, (long Source, long Target)>();
        foreach (var table in tables)
        {
            if (!sourceTables.ContainsKey(table.Name)) throw new DataCopyException($"The source has no table {table.Name}: migrate both databases to this version first.");
            counts[table.Name] = (await CountAsync(source, table, ct), await CountAsync(target, table, ct));
            var (from, to) = counts[table.Name];
            if (to != 0 && to != from)
                throw new DataCopyException($"The target's {table.Name} already holds {to} rows (the source has {from}). Copy into an empty database, migrated and never started.");
        }

        var results = new List<TableCopy>();
        foreach (var table in tables)
        {
            var (from, to) = counts[table.Name];
            var copyNow = from > 0 && to == 0;
            if (copyNow)
            {
                await CopyTableAsync(source, sourceTables[table.Name], target, table, ct);
                progress($"{table.Name}: {from} rows copied");
            }
            else if (from > 0) progress($"{table.Name}: {from} rows already there");
            results.Add(new TableCopy(table.Name, from, await CountAsync(target, table, ct), copyNow, false));
        }
        if (target.Database.IsNpgsql()) await ResetIdentitiesAsync(target, tables, ct);

        // The same rows on both sides, in the model's terms: counts first, then a hash of every value.
        for (var i = 0; i < results.Count; i++)
        {
            var table = tables[i];
            var same = results[i].SourceRows == results[i].TargetRows
                && await ChecksumAsync(source, sourceTables[table.Name], ct) == await ChecksumAsync(target, table, ct);
            results[i] = results[i] with { Same = same };
        }
        return results;
    }

    /// <summary>
    /// A read-only view of the source as it is now: PostgreSQL's repeatable read; on SQLite a deferred transaction, which
    /// in WAL mode reads one snapshot and takes no write lock, so the app carries on writing meanwhile.
    /// </summary>
    static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> SnapshotAsync(ConcordatDb source, CancellationToken ct)
    {
        if (source.Database.IsNpgsql()) return await source.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await source.Database.OpenConnectionAsync(ct);
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)source.Database.GetDbConnection();
        return await source.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), ct)
            ?? throw new InvalidOperationException("SQLite did not begin a transaction.");
    }

    /// <summary>The model's tables, parents before the tables that refer to them.</summary>
    static List<Table> Tables(ConcordatDb db)
    {
        var model = db.Model.GetRelationalModel();
        var all = model.Tables.Where(t => t.EntityTypeMappings.Any()).ToList();
        var ordered = new List<ITable>();
        var placed = new HashSet<string>();
        while (ordered.Count < all.Count)
        {
            var ready = all.Where(t => !placed.Contains(t.Name)
                && t.ForeignKeyConstraints.All(fk => fk.PrincipalTable.Name == t.Name || placed.Contains(fk.PrincipalTable.Name))).ToList();
            if (ready.Count == 0) throw new DataCopyException("The tables refer to each other in a circle; they cannot be copied in order.");
            foreach (var t in ready.OrderBy(t => t.Name, StringComparer.Ordinal)) { ordered.Add(t); placed.Add(t.Name); }
        }
        return ordered.Select(t => new Table(t.Name,
            t.Columns.Select(c =>
            {
                var mapping = c.PropertyMappings.FirstOrDefault()?.TypeMapping;
                var isJson = c.PropertyMappings.Count == 0; // a JSON column holds owned types, not a property of its own
                return new Column(c.Name, c.StoreType, isJson ? typeof(string) : c.ProviderClrType, isJson ? null : mapping?.Converter, isJson);
            }).ToList(),
            t.PrimaryKey!.Columns.Select(c => c.Name).ToList(),
            t.ForeignKeyConstraints.Where(fk => fk.PrincipalTable.Name == t.Name).SelectMany(fk => fk.Columns.Select(c => c.Name)).Distinct().ToList())).ToList();
    }

    static string Quote(string name) => $"\"{name.Replace("\"", "\"\"")}\"";

    static async Task<long> CountAsync(ConcordatDb db, Table table, CancellationToken ct)
    {
        await using var command = await CommandAsync(db, $"SELECT COUNT(*) FROM {Quote(table.Name)}", ct);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    static async Task<DbCommand> CommandAsync(ConcordatDb db, string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>Every row in key order, each value in the model's terms (a time as a DateTimeOffset, an enum as itself).</summary>
    static async IAsyncEnumerable<object?[]> RowsAsync(ConcordatDb db, Table table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // Text keys in byte order on both sides: PostgreSQL would otherwise sort by its locale and SQLite by bytes.
        var collate = db.Database.IsNpgsql() ? " COLLATE \"C\"" : "";
        var order = table.Key.Select(k => Quote(k) + (table.Columns.Single(c => c.Name == k).ProviderType == typeof(string) ? collate : ""));
        var sql = $"SELECT {string.Join(", ", table.Columns.Select(c => Quote(c.Name)))} FROM {Quote(table.Name)} ORDER BY {string.Join(", ", order)}";
        await using var command = await CommandAsync(db, sql, ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[table.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var column = table.Columns[i];
                if (await reader.IsDBNullAsync(i, ct)) continue;
                var stored = Read(reader, i, column.ProviderType);
                row[i] = column.Converter is { } converter ? converter.ConvertFromProvider(stored) : stored;
            }
            yield return row;
        }
    }

    static readonly System.Reflection.MethodInfo GetFieldValue = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!;

    static object? Read(DbDataReader reader, int ordinal, Type type) =>
        GetFieldValue.MakeGenericMethod(Nullable.GetUnderlyingType(type) ?? type).Invoke(reader, [ordinal]);

    static async Task CopyTableAsync(ConcordatDb source, Table from, ConcordatDb target, Table to, CancellationToken ct)
    {
        var byName = from.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var postgres = target.Database.IsNpgsql();
        var values = string.Join(", ", to.Columns.Select((c, i) => postgres ? $"CAST(@p{i} AS {c.StoreType})" : $"@p{i}"));
        var insert = $"INSERT INTO {Quote(to.Name)} ({string.Join(", ", to.Columns.Select(c => Quote(c.Name)))}) VALUES ({values})";
        await using var transaction = await target.Database.BeginTransactionAsync(ct);
        await using var command = await CommandAsync(target, insert, ct);
        var parameters = to.Columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToList();
        var later = new List<(object?[] Key, string Column, object Value)>();
        await foreach (var row in RowsAsync(source, from, ct))
        {
            for (var i = 0; i < to.Columns.Count; i++)
            {
                var column = to.Columns[i];
                var value = byName.TryGetValue(column.Name, out var at) ? row[at] : null;
                var stored = value is null ? null : column.Converter is { } converter ? converter.ConvertToProvider(value) : value;
                // A row may point at a later row of its own table: that link is set once every row is in.
                if (stored is not null && to.SelfReferences.Contains(column.Name))
                {
                    later.Add((to.Key.Select(k => StoredValue(to, k, row[byName[k]])).ToArray(), column.Name, stored));
                    stored = null;
                }
                parameters[i].Value = stored ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(ct);
        }
        foreach (var (key, column, value) in later)
        {
            var where = string.Join(" AND ", to.Key.Select((k, i) => $"{Quote(k)} = @k{i}"));
            await using var update = await CommandAsync(target, $"UPDATE {Quote(to.Name)} SET {Quote(column)} = @v WHERE {where}", ct);
            AddParameter(update, "v", value);
            for (var i = 0; i < key.Length; i++) AddParameter(update, $"k{i}", key[i]);
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    static object? StoredValue(Table table, string column, object? value) =>
        value is not null && table.Columns.Single(c => c.Name == column).Converter is { } converter ? converter.ConvertToProvider(value) : value;

    static void AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary>PostgreSQL's identity columns carry on after the highest id copied, so the next insert does not collide.</summary>
    static async Task ResetIdentitiesAsync(ConcordatDb target, IEnumerable<Table> tables, CancellationToken ct)
    {
        foreach (var table in tables.Where(t => t.Key.Count == 1))
        {
            var key = table.Key[0];
            await using var find = await CommandAsync(target, $"SELECT pg_get_serial_sequence('{Quote(table.Name)}', '{key}')", ct);
            if (await find.ExecuteScalarAsync(ct) is not string sequence) continue;
            await using var reset = await CommandAsync(target,
                $"SELECT setval('{sequence}', COALESCE((SELECT MAX({Quote(key)}) FROM {Quote(table.Name)}), 0) + 1, false)", ct);
            await reset.ExecuteScalarAsync(ct);
        }
    }

    /// <summary>A SHA-256 of every row in key order, written the same way whichever database it came from.</summary>
    static async Task<string> ChecksumAsync(ConcordatDb db, Table table, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var row in RowsAsync(db, table, ct))
        {
            var line = string.Join('\u001f', row.Select((v, i) => Canonical(v, table.Columns[i].IsJson))) + "\u001e";
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static string Canonical(object? value, bool json) => value switch
    {
        null => "\u2205",
        string s when json => CanonicalJson(JsonNode.Parse(s)),
        // PostgreSQL keeps microseconds: compare to the microsecond (an audit event's exact time is kept apart).
        DateTimeOffset t => (t.UtcTicks - t.UtcTicks % 10).ToString(CultureInfo.InvariantCulture),
        DateTime t => (t.Ticks - t.Ticks % 10).ToString(CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        // A list column (themes, lawful bases): its items, in order.
        System.Collections.IEnumerable items and not string => "[" + string.Join(",", items.Cast<object?>().Select(x => Canonical(x, false))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>JSON with its object keys sorted and no spaces: jsonb keeps neither the order nor the spacing it was given.</summary>
    static string CanonicalJson(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonValue.Create(p.Key).ToJsonString() + ":" + CanonicalJson(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(CanonicalJson)) + "]",
        _ => node.ToJsonString(),
    };
}
