using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concordat.Pages;

/// <summary>The page shown for an error status on any page (the API answers problem+json instead).</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";

    // From the route only: a re-executed POST may carry a form that cannot be read.
    public void OnGet([Microsoft.AspNetCore.Mvc.FromRoute] int code) => Describe(code);
    public void OnPost([Microsoft.AspNetCore.Mvc.FromRoute] int code) => Describe(code);

    void Describe(int code)
    {
        (Title, Message) = code switch
        {
            404 => ("Page not found", "If you typed the web address, check it is correct. The agreement may not exist, or you may need to sign in to see it."),
            403 => ("You cannot do that", "Your account does not allow this action."),
            413 => ("The file is too large", "Go back and choose a smaller file."),
            429 => ("Too many attempts", "Wait a minute, then try again."),
            400 => ("Something was wrong with the request", "Go back and try again."),
            _ => ("Sorry, there is a problem with the service", "Try again later."),
        };
        // Keep the original status (the re-executed request would otherwise answer 200).
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && code is >= 400 and < 600)
            Response.StatusCode = code;
    }
}
