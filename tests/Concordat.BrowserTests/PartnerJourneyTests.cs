using System.Text.RegularExpressions;
using Concordat.BrowserTests.Support;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Concordat.BrowserTests.Support.Accessibility;
using static Microsoft.Playwright.Assertions;

namespace Concordat.BrowserTests;

/// <summary>
/// The framework administrator invites an officer of the London Fire Brigade; the officer sets a
/// password, turns on two-step sign-in, signs in with it and publishes an agreement for the parties
/// only. Camden, a party, sees it; Hackney and the public do not, not even its file.
/// </summary>
public sealed partial class PartnerJourneyTests(EmptyRegisterFixture app) : IClassFixture<EmptyRegisterFixture>
{
    const string OfficerPassword = "orchard violin copper tide";
    const string Purpose = "Camden's housing team and the London Fire Brigade share details of tenants at high fire risk so the Brigade can offer a home fire safety visit.";

    static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
    static ILocator Link(IPage page, string name) => page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    [GeneratedRegex(@"https?://\S+(/invitations/[A-Za-z0-9_-]+)")]
    private static partial Regex InvitationLink();

    [Fact]
    public async Task An_invited_officer_publishes_a_parties_only_agreement_that_only_the_parties_can_see()
    {
        var officer = $"officer-{Guid.NewGuid():N}"[..16] + "@lfb.example";
        var title = $"Tenants at high fire risk: Camden {Guid.NewGuid().ToString("N")[..6]}";

        // The framework administrator invites the officer as an editor of the Brigade.
        await using (var adminContext = await app.NewContextAsync())
        {
            var admin = await adminContext.NewPageAsync();
            var problems = admin.Watch();
            await admin.SignInAsync();
            await admin.GotoAsync("/organisations");
            await Link(admin, "London Fire Brigade").ClickAsync();
            await Link(admin, "People of London Fire Brigade").ClickAsync();
            await Expect(admin.Locator("h1")).ToHaveTextAsync("People");
            await AssertAccessibleAsync(admin);
            await admin.Locator("#email").FillAsync(officer);
            await admin.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^Editor:") }).CheckAsync();
            await Button(admin, "Send the invitation").ClickAsync();
            await Expect(admin.SuccessBanner()).ToContainTextAsync($"Invitation sent to {officer}");
            await Expect(admin.SuccessBanner()).ToContainTextAsync("No email server is configured");
            await Expect(admin.GetByRole(AriaRole.Table, new() { Name = "Invitations not yet accepted" })).ToContainTextAsync(officer);
            await AssertAccessibleAsync(admin);
            problems.AssertNone();
        }
        var message = Directory.GetFiles(app.Server.MailFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
            .Single(m => m.To.Mailboxes.Single().Address == officer);
        var link = InvitationLink().Match(message.TextBody ?? "").Groups[1].Value;

        await using var officerContext = await app.NewContextAsync();
        var page = await officerContext.NewPageAsync();
        var officerProblems = page.Watch();

        // The link: choose a password, then turn on two-step sign-in with an authenticator app.
        await page.GotoAsync(link);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Join London Fire Brigade");
        await AssertAccessibleAsync(page);
        await page.Locator("#password").FillAsync("short");
        await page.Locator("#confirmPassword").FillAsync("short");
        await Button(page, "Create my account").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeFocusedAsync();
        await AssertAccessibleAsync(page);
        await page.Locator("#password").FillAsync(OfficerPassword);
        await page.Locator("#confirmPassword").FillAsync(OfficerPassword);
        await Button(page, "Create my account").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/two-step$"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("You are a member of London Fire Brigade");
        await AssertAccessibleAsync(page);
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Trim();
        await page.Locator("#code").FillAsync(ConcordatServer.CodeFor(key));
        await Button(page, "Turn on two-step sign-in").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("Two-step sign-in is on");
        await AssertAccessibleAsync(page);

        // Signing in again takes the password and the code.
        await Button(page, "Sign out").ClickAsync();
        await page.GotoAsync("/sign-in");
        await page.Locator("#email").FillAsync(officer);
        await page.Locator("#password").FillAsync(OfficerPassword);
        await page.NavigatesAsync(() => page.Locator("#password").PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/two-step$"));
        await page.Locator("#code").FillAsync(ConcordatServer.CodeFor(key));
        await page.NavigatesAsync(() => page.Locator("#code").PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));

        // The officer adds the agreement, for the parties only; the Brigade is the only lead on offer.
        await Button(page, "Add an agreement").ClickAsync();
        await Expect(page.Locator("#leadOrganisationId option:checked")).ToHaveTextAsync("London Fire Brigade");
        await AssertAccessibleAsync(page);
        await page.Locator("#title").FillAsync(title);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Information sharing agreement (reciprocal)", Exact = true }).CheckAsync();
        await page.Locator("#purpose").FillAsync(Purpose);
        await page.Locator("#parties-0-organisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Fire Brigade" });
        await page.Locator("#parties-0-role").SelectOptionAsync(new SelectOptionValue { Label = "Joint controller" });
        await page.Locator("#parties-1-organisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Borough of Camden" });
        await page.Locator("#parties-1-role").SelectOptionAsync(new SelectOptionValue { Label = "Joint controller" });
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Residents", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Personal data", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "6(1)(e) Public task", Exact = true }).CheckAsync();
        await page.TypeDateAsync("startDate", new DateOnly(2026, 4, 1));
        await page.TypeDateAsync("reviewDate", new DateOnly(2028, 3, 31));
        await page.GetByRole(AriaRole.Radio, new() { Name = "Parties only", Exact = true }).CheckAsync();
        await page.Locator("#contactEmail").FillAsync("ig@lfb.example.gov.uk");
        await Button(page, "Save as a draft").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/agreements/\d+$"));
        var id = page.AgreementId();

        await Button(page, "Add a file").ClickAsync();
        await AssertAccessibleAsync(page);
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "high-risk-tenants.pdf", MimeType = "application/pdf", Buffer = TestDocuments.Pdf(title, "parties only") });
        await Button(page, "Upload").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("Uploaded high-risk-tenants.pdf.");
        var download = await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download high-risk-tenants.pdf") }).GetAttributeAsync("href");
        await Button(page, "Publish").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("The agreement is published in the register.");
        await Expect(page.Locator("main")).ToContainTextAsync("Parties only");
        await AssertAccessibleAsync(page);
        officerProblems.AssertNone();

        // Camden is a party: its member sees the agreement. Hackney is not: its member finds nothing.
        await AddMemberAsync("reader@camden.example", "London Borough of Camden");
        await AddMemberAsync("reader@hackney.example", "London Borough of Hackney");
        await using (var camden = await SignedInAsync("reader@camden.example"))
        {
            var p = camden.Pages[0];
            await p.GotoAsync($"/agreements/{id}");
            await Expect(p.Locator("h1")).ToHaveTextAsync(title);
            await AssertAccessibleAsync(p);
        }
        await using (var hackney = await SignedInAsync("reader@hackney.example"))
            await AssertHiddenAsync(hackney.Pages[0], id, title, download!);
        await using (var visitor = await app.NewContextAsync())
            await AssertHiddenAsync(await visitor.NewPageAsync(), id, title, download!);
    }

    [Fact]
    public async Task The_administration_pages_are_accessible_with_and_without_errors()
    {
        await AddMemberAsync("roles@lfb.example", "London Fire Brigade");
        int lfb, membership;
        await using (var scope = app.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            lfb = await db.Organisations.Where(o => o.Name == "London Fire Brigade").Select(o => o.Id).SingleAsync();
            membership = await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id where u.Email == "roles@lfb.example" select m.Id).SingleAsync();
        }
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.SignInAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Your account", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Your account");
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "People", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("People");
        await Expect(page.Locator("main")).ToContainTextAsync("roles@lfb.example");
        await AssertAccessibleAsync(page);

        // Merging a duplicate: the page is only looked at here (MergeTests merges), for its accessibility.
        await page.GotoAsync($"/organisations/{lfb}/merge");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Merge London Fire Brigade into another organisation");
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/audit");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Audit trail");
        await AssertAccessibleAsync(page);
        await Button(page, "Check the chain").ClickAsync();
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("The chain is intact");
        await AssertAccessibleAsync(page);
        await page.GotoAsync("/audit?from.Day=31&from.Month=2&from.Year=2026");
        await Expect(page.ErrorSummary()).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        await page.GotoAsync($"/organisations/{lfb}/assurance");
        await AssertAccessibleAsync(page);
        await page.Locator("#icoNumber").FillAsync("not a number");
        await Button(page, "Save the assurance record").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeFocusedAsync();
        await AssertAccessibleAsync(page);

        await page.GotoAsync($"/organisations/{lfb}/people/{membership}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("roles@lfb.example");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^Signatory:") }).CheckAsync();
        await Button(page, "Save the roles").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("roles@lfb.example is now: Signatory.");
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/organisations/new");
        await Button(page, "Add the organisation").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeFocusedAsync();
        await AssertAccessibleAsync(page);
        await page.GotoAsync($"/organisations/{lfb}/details");
        await Expect(page.Locator("#name")).ToHaveValueAsync("London Fire Brigade");
        await AssertAccessibleAsync(page);
        problems.AssertNone();
    }

    [Fact]
    public async Task Forgetting_a_password_is_put_right_from_an_emailed_link()
    {
        await AddMemberAsync("forgot@lfb.example", "London Fire Brigade");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.GotoAsync("/sign-in");
        await Link(page, "Forgot your password?").ClickAsync();
        await AssertAccessibleAsync(page);
        await Button(page, "Send the link").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeFocusedAsync();
        await AssertAccessibleAsync(page);
        await page.Locator("#email").FillAsync("forgot@lfb.example");
        await Button(page, "Send the link").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your email");
        await AssertAccessibleAsync(page);

        var message = Directory.GetFiles(app.Server.MailFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
            .Single(m => m.To.Mailboxes.Single().Address == "forgot@lfb.example");
        var link = ResetLink().Match(message.TextBody ?? "").Groups[1].Value;
        await page.GotoAsync(link);
        await AssertAccessibleAsync(page);
        await page.Locator("#password").FillAsync("lantern meadow copper tide");
        await page.Locator("#confirmPassword").FillAsync("lantern meadow copper tide");
        await Button(page, "Change my password").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("Your password is changed");
        await AssertAccessibleAsync(page);
        await page.Locator("#email").FillAsync("forgot@lfb.example");
        await page.Locator("#password").FillAsync("lantern meadow copper tide");
        await page.NavigatesAsync(() => page.Locator("#password").PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));
        problems.AssertNone();
    }

    [GeneratedRegex(@"https?://\S+?(/sign-in/reset-password\?\S+)")]
    private static partial Regex ResetLink();

    async Task AssertHiddenAsync(IPage page, int id, string title, string download)
    {
        var problems = page.Watch();
        problems.Allow($"/agreements/{id}: Failed to load resource: the server responded with a status of 404");
        var response = await page.GotoAsync($"/agreements/{id}");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("main")).Not.ToContainTextAsync(title);
        await AssertAccessibleAsync(page);
        await page.GotoAsync("/agreements");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(title);
        var file = await page.APIRequest.GetAsync(download);
        Assert.Equal(404, file.Status);
        problems.AssertNone();
    }

    async Task AddMemberAsync(string email, string organisation)
    {
        await using var scope = app.Server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, OfficerPassword)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var organisationId = await db.Organisations.Where(o => o.Name == organisation).Select(o => o.Id).SingleAsync();
        db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = organisationId, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    async Task<IBrowserContext> SignedInAsync(string email)
    {
        var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(OfficerPassword);
        await page.NavigatesAsync(() => page.Locator("#password").PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));
        return context;
    }

    /// <summary>
    /// An editor of the Brigade, party to an agreement Hammersmith and Fulham leads, changes what the Brigade sends, by
    /// keyboard, and is offered nothing of the lead's: the record, the agreement document and its visibility stay the lead's.
    /// </summary>
    [Fact]
    public async Task A_party_editor_adds_the_data_their_organisation_sends_and_nothing_of_the_leads()
    {
        var title = $"Vulnerable residents at fire risk: Hammersmith and Fulham {Guid.NewGuid().ToString("N")[..6]}";
        var editor = $"party-{Guid.NewGuid():N}"[..14] + "@lfb.example";
        int id;
        await using (var scope = app.Server.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<ConcordatDb>();
            var hf = await db.Organisations.Where(o => o.Name == "London Borough of Hammersmith and Fulham").Select(o => o.Id).SingleAsync();
            var lfb = await db.Organisations.Where(o => o.Name == "London Fire Brigade").Select(o => o.Id).SingleAsync();
            var commands = services.GetRequiredService<Concordat.Agreements.AgreementCommands>();
            var process = Viewer.Process("browser test");
            var (agreement, errors) = await commands.CreateAsync(new Concordat.Agreements.AgreementInput
            {
                Title = title, AgreementType = "information-sharing", LeadOrganisationId = hf,
                Purpose = "The council tells the Brigade about residents at high fire risk so that they are offered a home fire safety visit.",
                Parties = [new() { OrganisationId = hf, Role = "discloser" }, new() { OrganisationId = lfb, Role = "recipient" }],
                DataFlows = [new() { FromOrganisationId = hf, ToOrganisationId = lfb, DataItems = "Names and addresses", Frequency = "weekly" }],
                DataSubjects = ["residents"], Sensitivity = ["personal"], LawfulBasis = ["public-task"],
                StartDate = "2026-01-05", ReviewDate = "2027-01-05", Visibility = "parties-only", ContactEmail = "information.governance@lbhf.example.gov.uk",
            }, process, CancellationToken.None);
            Assert.Empty(errors);
            await using var document = new MemoryStream("The agreement between the council and the Brigade."u8.ToArray());
            var (_, failure) = await services.GetRequiredService<Concordat.Agreements.FileUploader>()
                .UploadAsync(agreement!, null, Concordat.Agreements.FileKind.Agreement, document, "agreement.txt", "browser test", CancellationToken.None);
            Assert.Null(failure);
            Assert.Empty(await commands.PublishAsync(agreement!, process, CancellationToken.None));
            id = agreement!.Id;
        }
        await app.Server.AddPersonAsync(editor, "London Fire Brigade", OrganisationRole.Editor);

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.GotoAsync("/sign-in");
        await page.Locator("#email").FillAsync(editor);
        await page.Locator("#password").FillAsync(ConcordatServer.PersonPassword);
        await page.NavigatesAsync(() => page.Locator("#password").PressAsync("Enter"));
        await page.GotoAsync($"/agreements/{id}");
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit the record" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Upload a new version") })).ToHaveCountAsync(0);

        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change your organisation's data flows" }));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Change your organisation's data flows");
        await Expect(page.Locator(".govuk-inset-text")).ToContainTextAsync("London Borough of Hammersmith and Fulham leads this agreement");
        await Expect(page.Locator(".govuk-inset-text")).ToContainTextAsync("information.governance@lbhf.example.gov.uk");
        await AssertAccessibleAsync(page);
        await page.ChooseByTypingAsync(page.Locator("#dataFlows-0-fromOrganisationId"), "London Fire Brigade");
        await page.ChooseByTypingAsync(page.Locator("#dataFlows-0-toOrganisationId"), "London Borough of Hammersmith and Fulham");
        await page.TypeIntoAsync(page.Locator("#dataFlows-0-dataItems"), "Whether a visit took place, and the risks found");
        await page.ChooseByTypingAsync(page.Locator("#dataFlows-0-frequency"), "Monthly");
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save data flows" }));

        await Expect(page.SuccessBanner()).ToContainTextAsync("Your changes are saved.");
        await Expect(page.Locator("main")).ToContainTextAsync("Whether a visit took place, and the risks found");
        await Expect(page.Locator("main")).ToContainTextAsync("Names and addresses");
        await AssertAccessibleAsync(page);

        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add a file" }));
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Agreement", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Privacy notice" })).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page);
        problems.AssertNone();
    }
}
