using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Templates.SignOff;

/// <summary>An agreement's sign-off: send it (the lead), review it (each party's DPO, when asked), sign or decline (each party's signatory).</summary>
public sealed class SignOffModel(ConcordatDb db, SignOffCommands commands, Viewer viewer) : FormPage
{
    public Agreement Agreement { get; private set; } = null!;
    public SignOffRound? Round { get; private set; }
    [BindProperty] public string? PublishAs { get; set; }
    [BindProperty] public bool DpoReview { get; set; }
    [BindProperty] public int OrganisationId { get; set; }
    [BindProperty] public string? Comment { get; set; }
    [TempData] public string? Notice { get; set; }

    /// <summary>The parties the viewer may act for now in the open round: as its DPO while its review is awaited, then as its signatory.</summary>
    public IEnumerable<(PartySignature Party, string Name, bool Review)> Actions
    {
        get
        {
            if (Round is not { State: SignOffState.Open } round || !viewer.MayChange) yield break;
            foreach (var party in round.Parties.Where(p => p.Decision == PartyDecision.Pending))
            {
                var held = viewer.Roles.GetValueOrDefault(party.OrganisationId);
                var awaitingReview = round.DpoReview && party.ReviewedAt is null;
                if (awaitingReview ? held.HasFlag(OrganisationRole.DataProtectionOfficer) : held.HasFlag(OrganisationRole.Signatory))
                    yield return (party, NameOf(party.OrganisationId), awaitingReview);
            }
        }
    }

    /// <summary>Every signature of the agreement's text so far, across the first sign-off and parties who joined later.</summary>
    public IReadOnlyList<PartySignature> Signatures { get; private set; } = [];
    /// <summary>Whether the latest round asked every party to sign a text changed after activation.</summary>
    public bool RoundSignsAgain => Round is { } round && SignOffCommands.SignsAgain(round, Agreement);
    /// <summary>Parties added after the agreement was signed off, who have not signed it yet.</summary>
    public IReadOnlyList<int> Joining { get; private set; } = [];

    /// <summary>
    /// The lead may send a draft when no round is open, or again when the text has changed since the open round was
    /// sent; and an active agreement to the parties added since it was signed off.
    /// </summary>
    public bool MaySend => viewer.MayChange && AgreementAccess.MayPublish(viewer, Agreement)
        && (Round is not { State: SignOffState.Open } || Round.DocumentHash != SignOffCommands.DocumentHash(Agreement))
        && (!Agreement.IsPublished || Joining.Count > 0);

    /// <summary>Where links in the emails point: the configured public address, not the request's Host header.</summary>

    public string NameOf(int organisationId) => Agreement.Parties.FirstOrDefault(p => p.OrganisationId == organisationId)?.Organisation?.Name ?? "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostSendAsync(int id, CancellationToken ct) => ActAsync(id, async () =>
        Agreement.IsPublished
            ? (await commands.SendAsync(Agreement, viewer, Agreement.Visibility, DpoReview, ct), SignOffCommands.SignsAgain(Joining, Agreement)
                ? "The changed text is sent to every party to sign." : "The agreement is sent to the parties added since it was signed off.")
            : !EnumSlug<Visibility>.TryParse(PublishAs, out var visibility)
                ? ("Choose who can see the agreement once every party has signed", null)
                : (await commands.SendAsync(Agreement, viewer, visibility, DpoReview, ct), "The agreement is sent to every party for sign-off."), ct);

    public Task<IActionResult> OnPostReviewAsync(int id, CancellationToken ct) => ActAsync(id, async () =>
        (await commands.ReviewAsync(Agreement, Round!, OrganisationId, viewer, Comment, ct), $"Your review for {NameOf(OrganisationId)} is recorded."), ct);

    public Task<IActionResult> OnPostSignAsync(int id, CancellationToken ct) => ActAsync(id, async () =>
        (await commands.DecideAsync(Agreement, Round!, OrganisationId, viewer, sign: true, Comment, ct), $"You signed for {NameOf(OrganisationId)}."), ct);

    public Task<IActionResult> OnPostDeclineAsync(int id, CancellationToken ct) => ActAsync(id, async () =>
        (await commands.DecideAsync(Agreement, Round!, OrganisationId, viewer, sign: false, Comment, ct), $"You declined for {NameOf(OrganisationId)}."), ct);

    async Task<IActionResult> ActAsync(int id, Func<Task<(string? Refused, string? Done)>> act, CancellationToken ct)
    {
        if (!viewer.MayChange) return StatusCode(StatusCodes.Status403Forbidden);
        var needsRound = Request.Query["handler"] != "Send";
        // Two parties signing at once: the one whose save finds the round changed reads it again and acts on it as it now is.
        var outcome = await ConcurrentWrites.RetryAsync<(string? Refused, string? Done)?>(db, async () => !await LoadAsync(id, ct) ? null
            : needsRound && Round is null ? ("The agreement has not been sent for sign-off", null) : await act());
        if (outcome is not var (refused, done)) return NotFound();
        if (refused is not null)
        {
            Errors.Add("signoff", refused);
            await LoadAsync(id, ct);
            return Page();
        }
        Notice = done;
        return Redirect($"/agreements/{id}/sign-off");
    }

    async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await commands.FindAsync(viewer, id, ct) is not { } agreement) return false;
        Agreement = agreement;
        Round = await commands.LatestAsync(id, ct);
        Joining = agreement.IsPublished ? await commands.UnsignedPartiesAsync(agreement, ct) : [];
        Signatures = Round?.Joining == true ? await commands.SignaturesAsync(agreement, ct) : [];
        return true;
    }
}
