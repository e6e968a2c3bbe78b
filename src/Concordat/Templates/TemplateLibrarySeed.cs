using Concordat.Data;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates;

/// <summary>Puts the starter library in an empty library at start-up, as pre-approved version 1 of each template.</summary>
public static class TemplateLibrarySeed
{
    public const string Author = "Concordat starter library";

    public static async Task EnsureSeededAsync(ConcordatDb db, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.Templates.AnyAsync(ct)) return;
        var now = clock.GetUtcNow();
        foreach (var (name, type, summary, questions, sections) in StarterLibrary.All())
        {
            // The starter text is held to the same check as any saved version; a mistake in it must stop the start.
            if (Clauses.Check(sections, questions) is { Count: > 0 } problems)
                throw new InvalidOperationException($"The starter template \"{name}\" has mistakes: {string.Join("; ", problems)}");
            db.Templates.Add(new AgreementTemplate
            {
                Name = name, Type = type, Summary = summary,
                Versions = [new TemplateVersion
                {
                    Number = 1, State = TemplateState.PreApproved, Questions = questions, Sections = sections,
                    ChangeNote = "The first version, as shipped.", CreatedAt = now, CreatedBy = Author, PreApprovedAt = now,
                }],
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
