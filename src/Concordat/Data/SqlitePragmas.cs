using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concordat.Data;

/// <summary>
/// synchronous=NORMAL on every SQLite connection. In WAL mode the database still cannot be corrupted
/// and survives an application crash; a power cut may lose the last commits. That is safe here: a
/// blob is made durable before its row is committed, and a lost row leaves only an unreferenced blob,
/// which the sweeper removes. It saves an fsync on every commit.
/// </summary>
sealed class SqlitePragmas : DbConnectionInterceptor
{
    const string Pragmas = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
