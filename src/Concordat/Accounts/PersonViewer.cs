using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Accounts;

/// <summary>A person's <see cref="Viewer"/> outside a request of theirs: a command run on their behalf, a job they started.</summary>
public static class PersonViewer
{
    public static async Task<Viewer> LoadAsync(IServiceProvider services, IdentityUser user, CancellationToken ct) =>
        await Viewer.LoadAsync(await services.GetRequiredService<IUserClaimsPrincipalFactory<IdentityUser>>().CreateAsync(user),
            services.GetRequiredService<ConcordatDb>(), ct);
}
