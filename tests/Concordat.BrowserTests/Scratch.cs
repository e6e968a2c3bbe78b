using Concordat.BrowserTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Concordat.BrowserTests;

public class ScratchTests(EmptyRegisterFixture app, ITestOutputHelper output) : IClassFixture<EmptyRegisterFixture>
{
    [Fact]
    public async Task Probe()
    {
        output.WriteLine(app.BaseUrl);
        await using var ctx = await app.NewContextAsync(javaScriptEnabled: false);
        var page = await ctx.NewPageAsync();
        await page.GotoAsync("/sign-in");
        try { await Accessibility.AssertAccessibleAsync(page); output.WriteLine("axe ok no-js"); } catch (Exception e) { output.WriteLine("NOJS: " + e.Message); }
        await using var ctx2 = await app.NewContextAsync();
        var p2 = await ctx2.NewPageAsync();
        await p2.GotoAsync("/sign-in");
        await p2.Locator("#email").FillAsync(ConcordatServer.AdminEmail);
        await p2.Locator("#password").FillAsync(ConcordatServer.AdminPassword);
        await p2.Keyboard.PressAsync("Enter");
        await p2.GotoAsync("/agreements/new");
        await p2.Locator("#leadOrganisationId").FocusAsync();
        await p2.Keyboard.TypeAsync("London Fire Brigade");
        output.WriteLine("selected: " + await p2.Locator("#leadOrganisationId").EvaluateAsync<string>("el => el.options[el.selectedIndex].text"));
        await p2.Locator("#parties-0-organisationId").FocusAsync();
        await p2.Keyboard.TypeAsync("London Borough of Camden");
        output.WriteLine("selected: " + await p2.Locator("#parties-0-organisationId").EvaluateAsync<string>("el => el.options[el.selectedIndex].text"));
        await p2.Locator("#parties-0-role").FocusAsync();
        await p2.Keyboard.TypeAsync("Joint controller");
        output.WriteLine("selected: " + await p2.Locator("#parties-0-role").EvaluateAsync<string>("el => el.options[el.selectedIndex].text"));
        try { await Accessibility.AssertAccessibleAsync(p2); output.WriteLine("axe ok"); } catch (Exception e) { output.WriteLine(e.Message); }
    }
}
