using Concordat.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts;

/// <summary>A person's API tokens: create one (shown once), see when each was used, revoke.</summary>
[Authorize]
public sealed class TokensModel(ConcordatDb db, UserManager<IdentityUser> users, TimeProvider clock) : FormPage
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public bool ReadOnly { get; set; }
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name)) Errors.Add("name", "Enter a name for the token, such as the system that will use it");
        else if (name.Length > 100) Errors.Add("name", "Token name must be 100 characters or fewer");
        if (Errors.Count == 0)
        {
            var (token, secret) = TokenEndpoints.Issue(users.GetUserId(User)!, name!, TimeSpan.FromDays(TokenEndpoints.DefaultLifetimeDays), clock, ReadOnly);
            await TokenEndpoints.SaveIssuedAsync(db, token, Audit.AuditTrail.ActorOf(User), Audit.AuditTrail.ActorOf(User), "account page", clock);
            NewSecret = secret;
            Name = null;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        await TokenEndpoints.RevokeAsync(db, id, users.GetUserId(User)!, Audit.AuditTrail.ActorOf(User), clock);
        return RedirectToPage();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        Tokens = (await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(ct))
            .OrderByDescending(t => t.CreatedAt).ToList();
    }
}
