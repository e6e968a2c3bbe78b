using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements.Edit;

/// <summary>
/// The record form shared by "add an agreement" and "edit the record". It posts the same
/// AgreementInput the API takes; the GOV.UK date inputs and the one-per-line legal powers are
/// turned into it here.
/// </summary>
public abstract class AgreementFormPage(ConcordatDb db, Viewer viewer) : FormPage
{
    protected ConcordatDb Db => db;
    protected Viewer Viewer => viewer;

    [BindProperty] public AgreementInput Input { get; set; } = new();
    [BindProperty] public DateParts Start { get; set; } = new();
    [BindProperty] public DateParts Review { get; set; } = new();
    [BindProperty] public DateParts End { get; set; } = new();
    [BindProperty] public string? LegalPowersText { get; set; }

    public IReadOnlyList<GovukForm.Option> Organisations { get; private set; } = [];
    /// <summary>The organisations the person may choose as lead: those they edit for (all, for framework administrators).</summary>
    public IReadOnlyList<GovukForm.Option> LeadChoices { get; private set; } = [];
    public abstract string Heading { get; }
    /// <summary>Whether the person may hand the agreement to one of its parties (the lead's editors, on an existing record).</summary>
    public virtual bool MayHandOver => false;
    public abstract string SubmitText { get; }

    /// <summary>Existing rows plus empty ones; saving shows more, so no JavaScript is needed to add a party.</summary>
    public int PartyRows => Math.Clamp((Input.Parties?.Count ?? 0) + 2, 4, AgreementLimits.MaxParties);
    public int FlowRows => Math.Clamp((Input.DataFlows?.Count ?? 0) + 1, 2, AgreementLimits.MaxFlows);

    protected override string Anchor(string key) => AnchorFor(key);

    /// <summary>An error about a whole group (the parties, the data flows) lands on the group's first field.</summary>
    public static string AnchorFor(string key) => key switch
    {
        "parties" => "parties-0-organisationId",
        "dataFlows" => "dataFlows-0-fromOrganisationId",
        _ => FieldId(key),
    };

    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        var all = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        Organisations = all.Select(o => new GovukForm.Option(o.Id.ToString(), o.Name)).ToList();
        // The current lead stays choosable, so editing a record someone else moved here never forces a change; its parties
        // are choosable too, so the lead's editors can hand the agreement to one of them.
        var parties = MayHandOver ? (Input.Parties ?? []).Select(p => p?.OrganisationId).ToHashSet() : [];
        LeadChoices = all.Where(o => viewer.Has(o.Id, OrganisationRole.Editor) || o.Id == Input.LeadOrganisationId || parties.Contains(o.Id))
            .Select(o => new GovukForm.Option(o.Id.ToString(), o.Name)).ToList();
    }

    /// <summary>Folds the page-only fields into the input before it is checked.</summary>
    protected void ReadForm()
    {
        Input.StartDate = Start.ToIso();
        Input.ReviewDate = Review.ToIso();
        Input.EndDate = End.ToIso();
        Input.LegalPowers = (LegalPowersText ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    protected void FillForm(AgreementInput input)
    {
        Input = input;
        Start = DateParts.From(input.StartDate);
        Review = DateParts.From(input.ReviewDate);
        End = DateParts.From(input.EndDate);
        LegalPowersText = string.Join('\n', input.LegalPowers ?? []);
    }

    protected void ShowErrors(FieldErrors errors)
    {
        foreach (var (field, messages) in errors)
            foreach (var message in messages)
                Errors.Add(field, message.Replace(" (YYYY-MM-DD)", ", for example 27 3 2026"));
    }
}

/// <summary>The data flow rows of a record form, and the organisations a flow may come from on it.</summary>
public sealed record DataFlowRows(AgreementFormPage Page, IReadOnlyList<GovukForm.Option> From);
