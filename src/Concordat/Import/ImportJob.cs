using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Import;

public enum ImportJobState { Queued, Running, Finished, Failed }

/// <summary>
/// An import started from the page, run in the background by <see cref="ImportJobs"/>. Its progress is kept in the
/// database, so any node can show the progress page, and a job whose node died is seen to have stopped.
/// </summary>
public sealed class ImportJob
{
    /// <summary>A job whose progress has not moved for this long has stopped: its node restarted or died.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(5);

    public Guid Id { get; set; }
    /// <summary>The person who started it: only they see its page, and it runs with their rights.</summary>
    public required string UserId { get; set; }
    /// <summary>The staged import (<see cref="StagedImport"/>) it runs; one job per staged import.</summary>
    public required string StagedId { get; set; }
    public bool AsDraft { get; set; }
    public bool AddOrganisations { get; set; }
    public ImportJobState State { get; set; }
    public int Done { get; set; }
    public int Total { get; set; }
    public DateTimeOffset Created { get; set; }
    /// <summary>When its progress last moved.</summary>
    public DateTimeOffset Updated { get; set; }
    /// <summary>The finished import's <see cref="ImportSummary"/> as JSON.</summary>
    public string? Summary { get; set; }

    public bool IsRunning => State is ImportJobState.Queued or ImportJobState.Running;
    public bool HasStalled(DateTimeOffset now) => IsRunning && now - Updated > StalledAfter;
}

sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> e)
    {
        e.ToTable("ImportJobs");
        e.Property(j => j.UserId).HasMaxLength(450);
        e.Property(j => j.StagedId).HasMaxLength(32);
        e.HasIndex(j => j.StagedId).IsUnique();
    }
}

public static class ImportTables
{
    extension(ConcordatDb db)
    {
        public DbSet<ImportJob> ImportJobs => db.Set<ImportJob>();
        public DbSet<StagedImport> StagedImports => db.Set<StagedImport>();
    }
}
