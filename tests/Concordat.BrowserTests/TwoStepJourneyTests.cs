using System.Text.RegularExpressions;
using Concordat.Accounts;
using Concordat.BrowserTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Concordat.BrowserTests.Support.Accessibility;
using static Microsoft.Playwright.Assertions;

namespace Concordat.BrowserTests;

/// <summary>
/// A new framework administrator is made to turn on two-step sign-in, sets up their authenticator
/// app from the page, then signs in with a code, and with a recovery code; with the keyboard alone.
/// </summary>
public sealed class TwoStepJourneyTests(EmptyRegisterFixture app) : IClassFixture<EmptyRegisterFixture>
{
    const string Password = "river kettle lantern morning";

    static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    async Task<string> AdministratorWithoutTwoStepAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@browser.example";
        await using var scope = app.Server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, AccountSetup.FrameworkAdministrator);
        return email;
    }

    static async Task PasswordAsync(IPage page, string email)
    {
        await page.GotoAsync("/sign-in");
        await page.TypeIntoAsync(page.Locator("#email"), email);
        await page.TypeIntoAsync(page.Locator("#password"), Password);
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
    }

    static async Task SignOutAsync(IPage page)
    {
        await page.ActivateByKeyboardAsync(Button(page, "Sign out"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_administrator_turns_on_two_step_sign_in_and_signs_in_with_a_code_and_a_recovery_code()
    {
        var email = await AdministratorWithoutTwoStepAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();

        // The password alone leads only to the setup page, which says why.
        await PasswordAsync(page, email);
        await Expect(page).ToHaveURLAsync(new Regex("/account/two-step$"));
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("You must turn on two-step sign-in before you can use Concordat");
        await Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^QR code") })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await page.GotoAsync("/agreements");
        await Expect(page).ToHaveURLAsync(new Regex("/account/two-step$"));

        // A wrong code is refused: the error summary takes focus and links to the field.
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Trim();
        var right = ConcordatServer.CodeFor(key);
        await page.TypeIntoAsync(page.Locator("#code"), ((int.Parse(right) + 500_000) % 1_000_000).ToString("D6"));
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        var summary = page.ErrorSummary();
        await Expect(summary).ToBeFocusedAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error: Two-step sign-in"));
        await Expect(summary.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "#code");
        await AssertAccessibleAsync(page);

        // The code the app would show turns it on, and the recovery codes are shown once.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#code")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConcordatServer.CodeFor(key));
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("Two-step sign-in is on");
        var codes = await page.Locator("#recovery-codes li").AllInnerTextsAsync();
        Assert.Equal(10, codes.Count);
        await AssertAccessibleAsync(page);
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "I have saved my recovery codes" }));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));

        // Next time the password is followed by the code.
        await SignOutAsync(page);
        await PasswordAsync(page, email);
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/two-step$"));
        await Expect(page.Locator("#code")).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await AssertAccessibleAsync(page);
        await page.TypeIntoAsync(page.Locator("#code"), ConcordatServer.CodeFor(key));
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));
        await Expect(Button(page, "Sign out")).ToBeVisibleAsync();

        // Or by a recovery code, for someone without their phone.
        await SignOutAsync(page);
        await PasswordAsync(page, email);
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code instead" }));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/recovery-code$"));
        await AssertAccessibleAsync(page);
        await page.TypeIntoAsync(page.Locator("#code"), codes[0].Trim());
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));

        // The account page now says it is on and cannot be turned off.
        await page.GotoAsync("/account/two-step");
        await Expect(page.Locator("#recovery-codes-left")).ToHaveTextAsync("9 of 10");
        await Expect(page.Locator(".govuk-inset-text")).ToContainTextAsync("because you are an administrator");
        await AssertAccessibleAsync(page);
        problems.AssertNone();
    }
}
