using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates;

/// <summary>What the pages that edit a template's draft version load: the template, and its draft (copied from the newest version until first saved). For framework administrators only.</summary>
public abstract class TemplateDraftPage(TemplateCommands commands, Viewer viewer) : FormPage
{
    public AgreementTemplate Template { get; private set; } = null!;
    public TemplateVersion Draft { get; private set; } = null!;
    protected TemplateCommands Commands => commands;
    protected Viewer Viewer => viewer;

    protected async Task<IActionResult?> LoadAsync(int id, CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator || !viewer.MayChange) return StatusCode(StatusCodes.Status403Forbidden);
        if (await commands.FindAsync(id, ct) is not { } template) return NotFound();
        Template = template;
        Draft = commands.DraftOf(template, viewer);
        return null;
    }
}
