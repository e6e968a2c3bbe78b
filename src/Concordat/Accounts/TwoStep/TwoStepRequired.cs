using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Concordat.Accounts.TwoStep;

/// <summary>
/// An administrator (of the framework or of an organisation) who has not turned on two-step sign-in
/// is sent to set it up from every page, until they have. A page filter rather than middleware: it sees only pages (static files and
/// the API never reach it) and needs no line in Program.cs.
/// </summary>
public sealed class TwoStepRequired(UserManager<IdentityUser> users) : IAsyncPageFilter
{
    public const string SetupPage = "/account/two-step";

    /// <summary>Pages an administrator may still use: the setup page itself, signing out, the error pages.</summary>
    static readonly HashSet<string> Allowed = ["/Accounts/TwoStep/TwoStep", "/Accounts/SignOut", "/Pages/Error"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // The viewer is already loaded for the request, so only administrators cost a database read.
        if (context.HttpContext.Features.Get<Organisations.Viewer>() is { MustUseTwoStep: true }
            && !Allowed.Contains(context.ActionDescriptor.ViewEnginePath)
            && await users.GetUserAsync(context.HttpContext.User) is { TwoFactorEnabled: false })
        {
            context.Result = new RedirectResult(SetupPage);
            return;
        }
        await next();
    }
}
