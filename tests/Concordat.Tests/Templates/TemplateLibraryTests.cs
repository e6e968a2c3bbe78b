using System.Net;
using Concordat.Data;
using Concordat.Templates;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Templates;

/// <summary>The library as the pages show it: the starter templates for everyone, drafts for framework administrators only.</summary>
public sealed class TemplateLibraryTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{

    [Fact]
    public async Task The_starter_library_is_seeded_once_pre_approved_and_anyone_can_read_it()
    {
        var templates = await app.InDatabaseAsync(db => db.Templates.Include(t => t.Versions).ToListAsync());
        Assert.Equal(5, templates.Count);
        // Version 1 of each (the other test in this class adds a draft version 2 of one).
        Assert.All(templates, t => Assert.Equal((TemplateState.PreApproved, TemplateLibrarySeed.Author),
            t.Versions.Where(v => v.Number == 1).Select(v => (v.State, v.CreatedBy)).Single()));
        // The questions and sections round-trip through their JSON columns.
        var sharing = templates.Single(t => t.Type == TemplateType.InformationSharing).Versions.Single();
        Assert.Equal(16, sharing.Sections.Count);
        Assert.Contains(sharing.Questions, q => q.Key == "transfer_method" && q.Choices.Count == 4);

        await using (var scope = app.Services.CreateAsyncScope())
            await TemplateLibrarySeed.EnsureSeededAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), TimeProvider.System);
        Assert.Equal(5, await app.InDatabaseAsync(db => db.Templates.CountAsync()));

        using var anonymous = app.CreateClient();
        var library = await anonymous.GetPageAsync("/templates");
        Assert.Equal(5, library.QuerySelectorAll("table tbody tr").Length);
        var page = await anonymous.GetPageAsync($"/templates/{sharing.TemplateId}");
        Assert.Equal("Information sharing agreement", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(16, page.QuerySelectorAll("section.concordat-clause").Length);
        Assert.Contains("[What is the agreement called]", page.QuerySelector("#section-document-control")!.ParentElement!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/templates/{sharing.TemplateId}?version=9")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/templates/9999")).StatusCode);
    }

    [Fact]
    public async Task A_draft_version_is_seen_only_by_framework_administrators()
    {
        var (templateId, questions, sections) = await app.InDatabaseAsync(async db =>
        {
            var accord = await db.Templates.Include(t => t.Versions).SingleAsync(t => t.Type == TemplateType.OverarchingAccord);
            return (accord.Id, accord.Versions[0].Questions, accord.Versions[0].Sections);
        });
        await app.InDatabaseAsync(async db =>
        {
            db.TemplateVersions.Add(new TemplateVersion
            {
                TemplateId = templateId, Number = 2, State = TemplateState.Draft, CreatedAt = DateTimeOffset.UtcNow, ChangeNote = "Plainer words",
                Questions = questions.Select(q => new TemplateQuestion { Key = q.Key, Topic = q.Topic, Label = q.Label, Type = q.Type }).ToList(),
                Sections = sections.Select(s => new TemplateSection { Key = s.Key, Heading = s.Heading, Clause = s.Clause }).ToList(),
            });
            return await db.SaveChangesAsync();
        });

        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/templates/{templateId}?version=2")).StatusCode);
        // Without a version, everyone reads the pre-approved one.
        Assert.Contains("Version 1", (await anonymous.GetPageAsync($"/templates/{templateId}")).QuerySelector("main")!.TextContent);
        using var admin = await app.SignedInClientAsync();
        var draft = await admin.GetPageAsync($"/templates/{templateId}?version=2");
        Assert.Contains("Draft", draft.QuerySelector("main p.govuk-body")!.TextContent);
        Assert.Contains("Plainer words", draft.QuerySelector("main")!.TextContent);
    }
}
