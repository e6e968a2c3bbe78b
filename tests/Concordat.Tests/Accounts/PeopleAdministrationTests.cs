using System.Net;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

/// <summary>What the service team does for people: unlock, reset two-step sign-in, choose framework administrators.</summary>
public sealed class PeopleAdministrationTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    async Task<string> IdOfAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync(email))!.Id;
    }

    async Task<List<AuditEvent>> EventsAsync(string email) => await new Audit.AuditProbe(app).EventsAsync($"person:{email}");

    [Fact]
    public async Task Resetting_two_step_sign_in_lets_someone_who_lost_their_phone_back_in_with_their_password()
    {
        await app.AddPersonAsync("lost.phone@camden.example", "London Borough of Camden", OrganisationRole.Editor, "LOSTPHONEKEY234567ABCDEFGHIJKLMN");
        using var admin = await app.SignedInClientAsync();
        var page = await admin.GetPageAsync("/people");
        Assert.Contains("lost.phone@camden.example", page.Body!.TextContent);

        var id = await IdOfAsync("lost.phone@camden.example");
        var reset = await admin.SubmitAsync("/people", [], $"form[action*='handler=ResetTwoStep'][action*='{id}']");
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);

        using var person = await app.SignInAsync("lost.phone@camden.example"); // no second step asked for
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/account")).StatusCode);
        Assert.Contains(await EventsAsync("lost.phone@camden.example"), e => e.Action == "two-step.reset" && e.Actor == ConcordatFactory.AdminEmail);
    }

    [Fact]
    public async Task A_locked_out_account_is_shown_and_can_be_unlocked()
    {
        await app.AddPersonAsync("fumbler@camden.example", "London Borough of Camden");
        using (var client = app.CreateClient())
            for (var i = 0; i < 5; i++)
                await client.SubmitAsync("/sign-in", [new("Email", "fumbler@camden.example"), new("Password", "not my password at all")]);
        using var admin = await app.SignedInClientAsync();
        var row = (await admin.GetPageAsync("/people")).QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("fumbler@camden.example"));
        Assert.Contains("Locked out", row.TextContent);

        var id = await IdOfAsync("fumbler@camden.example");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/people", [], $"form[action*='handler=Unlock'][action*='{id}']")).StatusCode);
        using var again = await app.SignInAsync("fumbler@camden.example");
        Assert.Contains(await EventsAsync("fumbler@camden.example"), e => e.Action == "account.unlocked");
    }

    [Fact]
    public async Task A_new_framework_administrator_is_made_to_set_up_two_step_sign_in_and_nobody_removes_their_own_role()
    {
        await app.AddPersonAsync("promoted@gla.example", "Greater London Authority");
        using var admin = await app.SignedInClientAsync();
        var id = await IdOfAsync("promoted@gla.example");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/people", [], $"form[action*='handler=Grant'][action*='{id}']")).StatusCode);

        using var promoted = await app.SignInAsync("promoted@gla.example");
        var anywhere = await promoted.GetAsync("/agreements");
        Assert.Equal("/account/two-step", anywhere.Headers.Location!.OriginalString);
        Assert.Contains(await EventsAsync("promoted@gla.example"), e => e.Action == "framework-administrator.granted");

        var selfId = await IdOfAsync(ConcordatFactory.AdminEmail);
        var refused = await admin.SubmitAsync("/people", [], $"form[action*='handler=Revoke'][action*='{selfId}']");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("You cannot remove your own framework administrator role. Ask another framework administrator", refused.ParseBody().ErrorSummaryText());

        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/people", [], $"form[action*='handler=Revoke'][action*='{id}']")).StatusCode);
        using var demoted = await app.SignInAsync("promoted@gla.example");
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/agreements")).StatusCode);
    }

    [Fact]
    public async Task Only_framework_administrators_may_act_and_an_attempt_is_audited()
    {
        await app.AddPersonAsync("ambitious@camden.example", "London Borough of Camden", OrganisationRole.Editor);
        using var client = await app.SignInAsync("ambitious@camden.example");
        var token = (await client.GetPageAsync("/account")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var id = await IdOfAsync("ambitious@camden.example");
        var response = await client.PostAsync($"/people?handler=Grant&id={id}", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.False(await users.IsInRoleAsync((await users.FindByIdAsync(id))!, Viewer.FrameworkAdministratorRole));
        Assert.Contains(await new Audit.AuditProbe(app).EventsAsync("people"), e => e.Action == "access.refused" && e.Actor == "ambitious@camden.example");
    }
}
