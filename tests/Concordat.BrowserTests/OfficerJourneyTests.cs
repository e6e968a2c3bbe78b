using System.Text.RegularExpressions;
using Concordat.BrowserTests.Support;
using Concordat.Documents;
using Microsoft.Playwright;
using static Concordat.BrowserTests.Support.Accessibility;
using static Microsoft.Playwright.Assertions;

namespace Concordat.BrowserTests;

/// <summary>
/// An information governance officer signs in, adds an agreement, completes its record, uploads its
/// document and publishes it; with the keyboard alone, and with JavaScript switched off.
/// </summary>
public sealed class OfficerJourneyTests(EmptyRegisterFixture app) : IClassFixture<EmptyRegisterFixture>
{
    const string Purpose = "Camden adult social care refers residents at high risk of fire to the London Fire Brigade for a home fire safety visit, and the Brigade reports back what it found and fitted.";
    static readonly DateOnly Start = new(2026, 4, 1);
    static readonly DateOnly Review = new(2028, 3, 31);

    static string Unique(string title) => $"{title} {Guid.NewGuid().ToString("N")[..6]}";

    static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
    static ILocator Link(IPage page, string name) => page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
    static ILocator NotPublished(IPage page) => page.Locator("main").GetByText("Not published", new() { Exact = true });

    static readonly string[] MissingForPublication =
    [
        "Select the agreement type", "Enter the purpose of the sharing", "Add the parties and their roles", "Select the data subjects",
        "Select the sensitivity of the data", "Enter the start date", "Enter the review date", "Enter a contact mailbox", "Upload the agreement document",
    ];

    [Fact]
    public async Task Officer_adds_completes_and_publishes_an_agreement_with_the_keyboard_alone()
    {
        var title = Unique("Home fire safety visit referrals: Camden");
        var pdf = TestDocuments.Pdf(title, "keyboard-first-version");
        var pdf2 = TestDocuments.Pdf(title, "keyboard-second-version");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();

        // Sign in from the home page.
        await page.GotoAsync("/");
        await page.ActivateByKeyboardAsync(Link(page, "Sign in"));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in$"));
        await AssertAccessibleAsync(page);
        await page.TypeIntoAsync(page.Locator("#email"), ConcordatServer.AdminEmail);
        await page.TypeIntoAsync(page.Locator("#password"), ConcordatServer.AdminPassword);
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/two-step$"));
        await AssertAccessibleAsync(page);
        await page.TypeIntoAsync(page.Locator("#code"), ConcordatServer.AdminCode());
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/agreements$"));
        await Expect(Button(page, "Sign out")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // An empty form is refused: the error summary takes focus and links to each field.
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add an agreement" }));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add an agreement");
        await AssertAccessibleAsync(page);
        await page.ActivateByKeyboardAsync(Button(page, "Save as a draft"));
        var summary = page.ErrorSummary();
        await Expect(summary).ToBeFocusedAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error: Add an agreement"));
        Assert.Equal(["Enter a title", "Select the lead organisation"], await page.ErrorSummaryMessagesAsync());
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Enter a title" })).ToHaveAttributeAsync("href", "#title");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Select the lead organisation" })).ToHaveAttributeAsync("href", "#leadOrganisationId");
        await Expect(page.Locator("#title")).ToHaveAttributeAsync("aria-describedby", "title-error");
        await Expect(page.Locator("#title-error")).ToHaveTextAsync("Error: Enter a title");
        await AssertAccessibleAsync(page);

        // From the summary's first link straight to the field, then the lead, then Enter to save.
        await page.Keyboard.PressAsync("Tab");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Enter a title" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#title")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(title);
        await page.ChooseByTypingAsync(page.Locator("#leadOrganisationId"), "London Fire Brigade");
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(page.Locator("#title")).ToBeFocusedAsync();
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));

        await Expect(page).ToHaveURLAsync(new Regex(@"/agreements/\d+$"));
        var id = page.AgreementId();
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.SuccessBanner()).ToContainTextAsync("as a draft");
        await Expect(NotPublished(page)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // Publishing the bare draft lists everything that is missing, each linked to where it is put right.
        await page.ActivateByKeyboardAsync(Button(page, "Publish"));
        await Expect(summary).ToBeFocusedAsync();
        Assert.Equal(MissingForPublication, await page.ErrorSummaryMessagesAsync());
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Select the agreement type" })).ToHaveAttributeAsync("href", $"/agreements/{id}/edit#agreementType");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Upload the agreement document" })).ToHaveAttributeAsync("href", $"/agreements/{id}/files/new");
        await Expect(NotPublished(page)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // Complete the record.
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Edit the record" }));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Edit the record");
        await AssertAccessibleAsync(page);
        await page.TickByKeyboardAsync(page.GetByRole(AriaRole.Radio, new() { Name = "Information sharing agreement (reciprocal)", Exact = true }));
        await page.TypeIntoAsync(page.Locator("#purpose"), Purpose);
        await page.ChooseByTypingAsync(page.Locator("#parties-0-organisationId"), "London Fire Brigade");
        await page.ChooseByTypingAsync(page.Locator("#parties-0-role"), "Joint controller");
        await page.ChooseByTypingAsync(page.Locator("#parties-1-organisationId"), "London Borough of Camden");
        await page.ChooseByTypingAsync(page.Locator("#parties-1-role"), "Joint controller");
        await page.ChooseByTypingAsync(page.Locator("#dataFlows-0-fromOrganisationId"), "London Borough of Camden");
        await page.ChooseByTypingAsync(page.Locator("#dataFlows-0-toOrganisationId"), "London Fire Brigade");
        await page.TypeIntoAsync(page.Locator("#dataFlows-0-dataItems"), "Name, address and fire risk factors");
        await page.ChooseByTypingAsync(page.Locator("#dataFlows-0-frequency"), "Weekly");
        await page.TickByKeyboardAsync(page.GetByRole(AriaRole.Checkbox, new() { Name = "Residents", Exact = true }));
        await page.TickByKeyboardAsync(page.GetByRole(AriaRole.Checkbox, new() { Name = "Personal data", Exact = true }));
        await page.TickByKeyboardAsync(page.GetByRole(AriaRole.Checkbox, new() { Name = "6(1)(e) Public task", Exact = true }));
        await page.TypeDateAsync("startDate", Start);
        await page.TypeDateAsync("reviewDate", Review);
        await page.TypeIntoAsync(page.Locator("#contactEmail"), "ig@lfb.example.gov.uk");
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));

        await Expect(page).ToHaveURLAsync(new Regex($@"/agreements/{id}(#[\w-]+)?$"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("Your changes are saved.");
        var parties = page.GetByRole(AriaRole.Table, new() { Name = "Parties to the agreement and their roles" });
        await Expect(parties.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(parties).ToContainTextAsync("London Borough of Camden");
        await Expect(parties).ToContainTextAsync("Joint controller");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "What data flows from which organisation to which, and how often" }))
            .ToContainTextAsync("Name, address and fire risk factors");
        await Expect(page.Locator("main")).ToContainTextAsync("31 March 2028");
        await AssertAccessibleAsync(page);

        // Add the agreement document, then a new version of it.
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add a file" }));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add a file");
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Agreement", Exact = true })).ToBeCheckedAsync();
        await AssertAccessibleAsync(page);
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "fire-safety-agreement.pdf", MimeType = "application/pdf", Buffer = pdf });
        await page.ActivateByKeyboardAsync(Button(page, "Upload"));
        await Expect(page).ToHaveURLAsync(new Regex($@"/agreements/{id}#file-\d+$"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("Uploaded fire-safety-agreement.pdf.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agreement: fire-safety-agreement.pdf" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // The document cites a legal power the record leaves empty: offered from its text, filled only once chosen.
        await page.GotoAsync($"/agreements/{id}");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Suggestions from its text" }).Locator(".govuk-checkboxes__label"))
            .ToHaveTextAsync(["Legal power: Fire and Rescue Services Act 2004 s6"]);
        await page.TickByKeyboardAsync(page.GetByRole(AriaRole.Checkbox, new() { Name = "Legal power: Fire and Rescue Services Act 2004 s6" }));
        await page.ActivateByKeyboardAsync(Button(page, "Fill in the chosen fields"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("Filled in 1 field from the agreement's text.");
        await Expect(page.Locator(".govuk-summary-list__row", new() { HasText = "Legal powers" })).ToContainTextAsync("Fire and Rescue Services Act 2004 s6");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Suggestions from its text" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);

        await page.ActivateByKeyboardAsync(Link(page, "Upload a new version of fire-safety-agreement.pdf"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Upload a new version of fire-safety-agreement.pdf");
        await AssertAccessibleAsync(page);
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "fire-safety-agreement-v2.pdf", MimeType = "application/pdf", Buffer = pdf2 });
        await page.ActivateByKeyboardAsync(Button(page, "Upload"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("Uploaded fire-safety-agreement-v2.pdf.");
        var versions = page.GetByRole(AriaRole.Table, new() { Name = "Versions of fire-safety-agreement-v2.pdf" });
        await Expect(versions.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(versions.Locator("tbody tr").First).ToContainTextAsync("2 (latest)");
        await Expect(versions.GetByRole(AriaRole.Link, new() { Name = "Download fire-safety-agreement.pdf (version 1)" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // Publish; the button is above the file the page has scrolled to, so Shift+Tab back to it.
        await page.ActivateByKeyboardAsync(Button(page, "Publish"), backwards: true);
        await Expect(page.SuccessBanner()).ToContainTextAsync("The agreement is published in the register.");
        await Expect(NotPublished(page)).ToHaveCountAsync(0);
        await Expect(Button(page, "Publish")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);

        // Signed out, anyone finds it in the register.
        await page.ActivateByKeyboardAsync(Button(page, "Sign out"), backwards: true);
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(Link(page, "Sign in")).ToBeVisibleAsync();
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Browse the register" }));
        await page.ActivateByKeyboardAsync(Link(page, title));
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(NotPublished(page)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit the record" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download fire-safety-agreement") })).ToHaveCountAsync(2);
        await AssertAccessibleAsync(page);
        problems.AssertNone();
    }

    [Fact]
    public async Task The_same_journey_works_with_JavaScript_switched_off()
    {
        var title = Unique("Hoarding and self-neglect panel: Camden");
        await using var context = await app.NewContextAsync(javaScriptEnabled: false);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/sign-in");
        await AssertAccessibleAsync(page);
        await page.SignInAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an agreement" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add an agreement");

        await Button(page, "Save as a draft").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeVisibleAsync();
        Assert.Equal(["Enter a title", "Select the lead organisation"], await page.ErrorSummaryMessagesAsync());
        await AssertAccessibleAsync(page);

        await page.Locator("#title").FillAsync(title);
        await page.Locator("#leadOrganisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Borough of Camden" });
        await Button(page, "Save as a draft").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/agreements/\d+$"));
        var id = page.AgreementId();
        await Expect(NotPublished(page)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        await Button(page, "Publish").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeVisibleAsync();
        Assert.Equal(MissingForPublication, await page.ErrorSummaryMessagesAsync());
        await AssertAccessibleAsync(page);

        // The error summary's link leads to the field on the edit page.
        await page.ErrorSummary().GetByRole(AriaRole.Link, new() { Name = "Select the agreement type" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/agreements/{id}/edit#agreementType$"));
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Joint controller agreement", Exact = true }).CheckAsync();
        await page.Locator("#purpose").FillAsync("Members of the Camden hoarding panel share information about residents whose hoarding puts them or their neighbours at risk of fire.");
        await page.Locator("#parties-0-organisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Borough of Camden" });
        await page.Locator("#parties-0-role").SelectOptionAsync(new SelectOptionValue { Label = "Joint controller" });
        await page.Locator("#parties-1-organisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Fire Brigade" });
        await page.Locator("#parties-1-role").SelectOptionAsync(new SelectOptionValue { Label = "Joint controller" });
        await page.Locator("#dataFlows-0-fromOrganisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Borough of Camden" });
        await page.Locator("#dataFlows-0-toOrganisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Fire Brigade" });
        await page.Locator("#dataFlows-0-dataItems").FillAsync("Address, nature of hoarding, access issues");
        await page.Locator("#dataFlows-0-frequency").SelectOptionAsync(new SelectOptionValue { Label = "Monthly" });
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Tenants", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Personal data", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "6(1)(e) Public task", Exact = true }).CheckAsync();
        await page.Locator("#startDate").FillAsync(Start.Day.ToString());
        await page.Locator("#startDate-month").FillAsync(Start.Month.ToString());
        await page.Locator("#startDate-year").FillAsync(Start.Year.ToString());
        await page.Locator("#reviewDate").FillAsync(Review.Day.ToString());
        await page.Locator("#reviewDate-month").FillAsync(Review.Month.ToString());
        await page.Locator("#reviewDate-year").FillAsync(Review.Year.ToString());
        await page.Locator("#contactEmail").FillAsync("hoarding.panel@camden.example.gov.uk");
        await Button(page, "Save changes").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/agreements/{id}(#[\w-]+)?$"));
        await Expect(page.SuccessBanner()).ToContainTextAsync("Your changes are saved.");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Parties to the agreement and their roles" }).Locator("tbody tr")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(page);

        // A Word document first, then a PDF as its new version.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a file" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add a file");
        await AssertAccessibleAsync(page);
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload
        {
            Name = "hoarding-panel.docx", MimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Buffer = TestDocuments.Docx(title, "no-script-docx"),
        });
        await Button(page, "Upload").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("Uploaded hoarding-panel.docx.");
        await AssertAccessibleAsync(page);

        await Link(page, "Upload a new version of hoarding-panel.docx").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Upload a new version of hoarding-panel.docx");
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "hoarding-panel.pdf", MimeType = "application/pdf", Buffer = TestDocuments.Pdf(title, "no-script-pdf") });
        await Button(page, "Upload").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("Uploaded hoarding-panel.pdf.");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Versions of hoarding-panel.pdf" }).Locator("tbody tr")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(page);

        await Button(page, "Publish").ClickAsync();
        await Expect(page.SuccessBanner()).ToContainTextAsync("The agreement is published in the register.");
        await Expect(NotPublished(page)).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);

        await Button(page, "Sign out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GotoAsync("/agreements");
        await Link(page, title).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(NotPublished(page)).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_script_typed_into_the_title_is_shown_as_text()
    {
        var title = Unique("<script>alert('title')</script><img src=x onerror=\"alert('img')\"> Fire safety");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.SignInAsync();

        var id = await SaveDraftAsync(page, title, "London Fire Brigade");
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.Locator("main script, main img")).ToHaveCountAsync(0);
        await Expect(page).ToHaveTitleAsync(new Regex(@"^<script>alert\('title'\)</script>"));
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/agreements");
        await Expect(Link(page, title)).ToBeVisibleAsync();
        await Expect(page.Locator("main script, main img")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);

        await page.GotoAsync($"/agreements/{id}/edit");
        await Expect(page.Locator("#title")).ToHaveValueAsync(title);
        await Expect(page.Locator("main script, main img")).ToHaveCountAsync(0);

        Assert.Empty(problems.Dialogs);
        problems.AssertNone();
    }

    [Fact]
    public async Task An_executable_named_as_a_PDF_is_refused_with_the_accepted_types()
    {
        var title = Unique("Domestic abuse MARAC: Camden");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.SignInAsync();
        var id = await SaveDraftAsync(page, title, "London Borough of Camden");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a file" }).ClickAsync();
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "x.pdf", MimeType = "application/pdf", Buffer = TestDocuments.Executable() });
        problems.Allow("the server responded with a status of 415");
        await Button(page, "Upload").ClickAsync();

        var summary = page.ErrorSummary();
        await Expect(summary).ToBeFocusedAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error: Add a file"));
        var message = Assert.Single(await page.ErrorSummaryMessagesAsync());
        Assert.Contains(UnsupportedFileTypeException.AcceptedTypesDescription, message);
        Assert.Contains("PDF", UnsupportedFileTypeException.AcceptedTypesDescription);
        await Expect(summary.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "#upload");
        await Expect(page.Locator("#upload-error")).ToContainTextAsync(UnsupportedFileTypeException.AcceptedTypesDescription);
        await Expect(page.Locator("#upload")).ToHaveAttributeAsync("aria-describedby", "upload-hint upload-error");
        await AssertAccessibleAsync(page);

        // Nothing was stored.
        await page.GotoAsync($"/agreements/{id}");
        await Expect(page.Locator("main")).ToContainTextAsync("No documents uploaded yet.");
        problems.AssertNone();
    }

    [Fact]
    public async Task Publishing_an_incomplete_record_starts_the_page_title_with_Error()
    {
        // GOV.UK pattern for a page that shows an error summary: "Error: " leads the <title>, the
        // first thing a screen reader announces; the form and upload pages do this already.
        var title = Unique("Missing-person reports: Camden");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SignInAsync();
        await page.GotoAsync("/agreements/new");
        await page.Locator("#title").FillAsync(title);
        await page.Locator("#leadOrganisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Borough of Camden" });
        await Button(page, "Save as a draft").ClickAsync();
        await Expect(page).ToHaveTitleAsync($"{title} – Concordat");

        await Button(page, "Publish").ClickAsync();
        await Expect(page.ErrorSummary()).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync($"Error: {title} – Concordat");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_accessibility_check_fails_on_a_page_that_breaks_WCAG(bool javaScriptEnabled)
    {
        // The check itself is tested: a form field with no label, and an image with no text.
        await using var context = await app.NewContextAsync(javaScriptEnabled);
        await context.RouteAsync("**/axe-self-check", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200, ContentType = "text/html; charset=utf-8",
            Body = "<!DOCTYPE html><html lang=\"en\"><head><title>Self-check</title></head><body><main><h1>Self-check</h1><input id=\"nameless\" type=\"text\"><img src=\"/favicon.ico\"></main></body></html>",
        }));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/axe-self-check");
        var failure = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => AssertAccessibleAsync(page));
        Assert.Contains("- label (critical)", failure.Message);
        Assert.Contains("- image-alt (critical)", failure.Message);
        Assert.Contains("#nameless", failure.Message);
    }

    /// <summary>Adds an agreement with only a title and a lead organisation, as a quick legacy record.</summary>
    static async Task<int> SaveDraftAsync(IPage page, string title, string lead)
    {
        await page.GotoAsync("/agreements/new");
        await page.Locator("#title").FillAsync(title);
        await page.Locator("#leadOrganisationId").SelectOptionAsync(new SelectOptionValue { Label = lead });
        await Button(page, "Save as a draft").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/agreements/\d+$"));
        return page.AgreementId();
    }

    /// <summary>A ZIP of generated agreements (PDF and Word) and a manifest of their rows.</summary>
    static byte[] ImportZip(IReadOnlyList<byte[]> documents, IEnumerable<string> rows)
    {
        var bytes = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(bytes, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, byte[] content)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(content);
            }
            Add("manifest.csv", System.Text.Encoding.UTF8.GetBytes("title,lead_organisation,files,local_reference,agreement_type,purpose,parties,data_subjects,sensitivity," +
                "lawful_basis,start_date,review_date,contact_email\r\n" + string.Join("\r\n", rows) + "\r\n"));
            for (var i = 1; i <= documents.Count; i++) Add(i % 2 == 0 ? $"files/agreement-{i}.docx" : $"files/agreement-{i}.pdf", documents[i - 1]);
        }
        return bytes.ToArray();
    }

    static ILocator SummaryValue(IPage page, string key) =>
        page.Locator(".govuk-summary-list__row").Filter(new() { Has = page.Locator("dt", new() { HasTextString = key }) }).Locator("dd");

    static string ImportRow(string run, int i, string lead = "London Fire Brigade", string basis = "public-task") =>
        $"Imported agreement {i} {run},{lead},files/agreement-{i}.{(i % 2 == 0 ? "docx" : "pdf")},IMP-{run}-{i},information-sharing,\"Referrals for visits, batch {i}.\"," +
        $"\"London Borough of Camden (discloser); London Fire Brigade (recipient)\",residents,personal,{basis},2025-04-01,2027-04-01,ig@lfb.example.gov.uk";

    [Fact]
    public async Task Officer_imports_a_folder_corrects_the_bad_rows_and_imports_it_again()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.SignInAsync();

        await page.GotoAsync("/import");
        await AssertAccessibleAsync(page);
        // Made once: a document generated again differs in its timestamps, and a changed file is an update.
        var documents = Enumerable.Range(1, 4).Select(i => i % 2 == 0
            ? TestDocuments.Docx($"Imported agreement {i} {run}", $"import-{i}") : TestDocuments.Pdf($"Imported agreement {i} {run}", $"import-{i}")).ToList();
        var bad = ImportZip(documents, [ImportRow(run, 1), ImportRow(run, 2, lead: "London Fire Brigad"), ImportRow(run, 3, basis: "public-tsk"), ImportRow(run, 4)]);
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "agreements.zip", MimeType = "application/zip", Buffer = bad });
        await page.NavigatesAsync(() => Button(page, "Check the import").ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your import");
        var corrections = page.GetByRole(AriaRole.Table, new() { Name = "What to correct in the manifest" });
        await Expect(corrections).ToContainTextAsync("Did you mean \"London Fire Brigade\"");
        await Expect(corrections).ToContainTextAsync("public-task");
        await AssertAccessibleAsync(page);
        // The import runs in the background; its progress page follows it and reloads itself once it has finished.
        await page.NavigatesAsync(() => Button(page, "Import 2 agreements").ClickAsync());
        await Expect(page).ToHaveURLAsync(new Regex("/import/jobs/[0-9a-f-]{36}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Import finished", new() { Timeout = 30_000 });
        await AssertAccessibleAsync(page);
        await page.NavigatesAsync(() => Link(page, "import another ZIP").ClickAsync());

        // Corrected and uploaded again: the two already in are left alone, the two corrected are added.
        var corrected = ImportZip(documents, Enumerable.Range(1, 4).Select(i => ImportRow(run, i)));
        await page.Locator("#upload").SetInputFilesAsync(new FilePayload { Name = "agreements.zip", MimeType = "application/zip", Buffer = corrected });
        await page.NavigatesAsync(() => Button(page, "Check the import").ClickAsync());
        await Expect(SummaryValue(page, "Unchanged")).ToHaveTextAsync("2");
        await page.NavigatesAsync(() => Button(page, "Import 2 agreements").ClickAsync());
        await Expect(SummaryValue(page, "Added")).ToHaveTextAsync("2", new() { Timeout = 30_000 });

        await page.GotoAsync($"/agreements?q={run}");
        for (var i = 1; i <= 4; i++) await Expect(page.Locator("main")).ToContainTextAsync($"Imported agreement {i} {run}");
        await page.GotoAsync("/open-data");
        await AssertAccessibleAsync(page);

        // Where the register falls short, rule by rule, and the agreements behind one rule.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "Compliance" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Compliance across the register");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Table, new() { Name = "Rules" }).GetByRole(AriaRole.Link, new() { Name = "Retention stated" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Retention stated: agreements that fall short");
        await AssertAccessibleAsync(page);

        // A framework administrator's template pages: editing a version's clauses and questions, and comparing two versions.
        await page.GotoAsync("/templates");
        await page.GetByRole(AriaRole.Link, new() { Name = "Data processing agreement" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a new version" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Edit the template");
        await AssertAccessibleAsync(page);
        await page.GotoAsync(page.Url.Replace("/edit", "/questions"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("The questions");
        await AssertAccessibleAsync(page);
        await page.GotoAsync(page.Url.Replace("/questions", "/compare?from=1&to=1"));
        await Expect(page.Locator("main")).ToContainTextAsync("0 of 16 sections changed");
        await AssertAccessibleAsync(page);
        problems.AssertNone();
    }

    [Fact]
    public async Task Officer_drafts_an_agreement_between_a_borough_the_brigade_and_a_trust_from_a_starter_template()
    {
        var title = $"Discharge visits {Guid.NewGuid().ToString("N")[..6]}";
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();
        await page.SignInAsync();

        await page.GotoAsync("/templates");
        await page.GetByRole(AriaRole.Link, new() { Name = "Information sharing agreement" }).ClickAsync();
        await page.ActivateByKeyboardAsync(page.GetByRole(AriaRole.Button, new() { Name = "Draft an agreement from this template" }));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Draft an agreement");
        await AssertAccessibleAsync(page);
        await page.Locator("#leadOrganisationId").SelectOptionAsync(new SelectOptionValue { Label = "London Fire Brigade" });
        await page.NavigatesAsync(() => Button(page, "Start drafting").ClickAsync());

        // Each page of questions, checked for accessibility, then answered.
        async Task PageAsync(string heading, Func<Task> answer)
        {
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await AssertAccessibleAsync(page);
            await answer();
            await page.NavigatesAsync(() => Button(page, "Save and continue").ClickAsync());
        }
        await PageAsync("About the agreement", async () =>
        {
            await page.Locator("#q-title").FillAsync(title);
            await page.Locator("#q-purpose").FillAsync("To offer home fire safety visits to people leaving hospital.");
            await page.Locator("#q-benefits").FillAsync("Fewer fires in the homes of people recovering from illness.");
            // The preview follows the typing before anything is saved.
            await Expect(page.Locator("#draft-preview")).ToContainTextAsync("To offer home fire safety visits to people leaving hospital.");
        });
        await PageAsync("Who is party to it", async () =>
        {
            await page.Locator("#q-parties-0-organisation").SelectOptionAsync(new SelectOptionValue { Label = "London Fire Brigade" });
            await page.Locator("#q-parties-0-role").SelectOptionAsync(new SelectOptionValue { Label = "Joint controller" });
            await page.Locator("#q-parties-1-organisation").SelectOptionAsync(new SelectOptionValue { Label = "London Borough of Camden" });
            await page.Locator("#q-parties-1-role").SelectOptionAsync(new SelectOptionValue { Label = "Joint controller" });
            await page.Locator("#q-parties-2-organisation").SelectOptionAsync(new SelectOptionValue { Label = "Barts Health NHS Trust" });
            // No role for the trust yet: refused, and said where.
        });
        await Expect(page.ErrorSummary()).ToContainTextAsync("Select the role of party 3");
        await AssertAccessibleAsync(page);
        await page.Locator("#q-parties-2-role").SelectOptionAsync(new SelectOptionValue { Label = "Discloser" });
        await page.GetByRole(AriaRole.Radio, new() { Name = "Yes" }).CheckAsync();
        await page.NavigatesAsync(() => Button(page, "Save and continue").ClickAsync());
        await PageAsync("The data", async () =>
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Patients" }).CheckAsync();
            await page.Locator("#q-data-items").FillAsync("Name\nAddress\nDate of discharge");
            await page.GetByRole(AriaRole.Radio, new() { Name = "Weekly" }).CheckAsync();
            await page.Locator("#q-special-category").CheckAsync();
            await page.Locator("#q-criminal-offence-2").CheckAsync();
        });
        await PageAsync("The lawful basis", async () =>
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "6(1)(e) Public task" }).CheckAsync();
            await page.Locator("#q-legal-powers").FillAsync("Fire and Rescue Services Act 2004 s6");
        });
        await PageAsync("Impact assessment and transparency", async () =>
        {
            await page.Locator("#q-dpia").CheckAsync();
            await page.Locator("#q-privacy-notice").FillAsync("https://www.london-fire.gov.uk/privacy");
        });
        await PageAsync("Security and retention", async () =>
        {
            await page.Locator("#q-transfer-method").CheckAsync();
            await page.Locator("#q-retention").FillAsync("Two years after the visit, then deleted.");
        });
        await PageAsync("Dates and contact", async () =>
        {
            await page.TypeDateAsync("q-start-date", new DateOnly(2026, 4, 1));
            await page.TypeDateAsync("q-review-date", new DateOnly(2028, 4, 1));
            await page.Locator("#q-contact-email").FillAsync("ig@lfb.example.gov.uk");
        });

        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your answers");
        await Expect(page.Locator(".concordat-preview")).ToContainTextAsync("Data flows both ways between the parties.");
        await AssertAccessibleAsync(page);

        // Wording the framework fixed, changed: the agreement is marked as departing from the template, with the difference shown.
        const string breaches = "Change the wording of section 12, When something goes wrong";
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Link, new() { Name = breaches }).ClickAsync());
        await Expect(page.Locator(".govuk-warning-text")).ToContainTextAsync("The framework fixed this wording");
        await AssertAccessibleAsync(page);
        await page.Locator("#wording").FillAsync(await page.Locator("#wording").InputValueAsync() + " The lead also tells the borough's emergency planning team.");
        await page.NavigatesAsync(() => Button(page, "Save the wording").ClickAsync());
        await Expect(page.Locator("#section-breaches + p")).ToContainTextAsync("Departs from the template");
        await page.NavigatesAsync(() => Button(page, "Create the draft agreement").ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.SuccessBanner()).ToContainTextAsync("built on Information sharing agreement, version 1");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Parties to the agreement and their roles" }).Locator("tbody tr")).ToHaveCountAsync(3);
        await AssertAccessibleAsync(page);
        var agreementUrl = page.Url.Split('#')[0]; // the check page's fragment carries over the redirect

        // Sending it is refused while a compliance rule fails: special category data with no Article 9 condition.
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Sign-off" }).ClickAsync());
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Public" }).CheckAsync();
        await page.NavigatesAsync(() => Button(page, "Send for sign-off").ClickAsync());
        await Expect(page.ErrorSummary()).ToContainTextAsync("cannot be sent while a compliance rule fails: Article 9 condition");
        await AssertAccessibleAsync(page);
        await page.GotoAsync(agreementUrl);
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "see the difference" }).ClickAsync());
        await Expect(page.Locator("main pre ins")).ToContainTextAsync("emergency planning team");
        await Expect(page.Locator("main form")).ToHaveCountAsync(0); // the officer made the change, so cannot approve it
        await AssertAccessibleAsync(page);

        // Both put right through the draft, so the record and its documents keep saying the same thing.
        await page.GotoAsync(agreementUrl);
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Change its answers or wording" }).ClickAsync());
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Change Which Article 9 condition applies to the special category data?" }).ClickAsync());
        await page.Locator("#q-special-category-condition").FillAsync("Art 9(2)(h) health or social care, Sch 1 para 2");
        await page.NavigatesAsync(() => Button(page, "Save and continue").ClickAsync());
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Link, new() { Name = breaches }).ClickAsync());
        await page.NavigatesAsync(() => Button(page, "Use the template's wording").ClickAsync());
        await Expect(page.Locator("#section-breaches + p")).Not.ToContainTextAsync("Departs from the template");
        await AssertAccessibleAsync(page);
        await page.NavigatesAsync(() => Button(page, "Update the draft agreement").ClickAsync());
        await Expect(page.SuccessBanner()).ToContainTextAsync("now say what the answers say");
        await Expect(page.Locator(".govuk-summary-list__row", new() { HasText = "Template" })).Not.ToContainTextAsync("departing");
        await page.GotoAsync(agreementUrl + "/sign-off");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Public" }).CheckAsync();
        await page.NavigatesAsync(() => Button(page, "Send for sign-off").ClickAsync());
        await Expect(page.SuccessBanner()).ToContainTextAsync("sent to every party for sign-off");
        await Button(page, "Sign out").ClickAsync();

        // A signatory of each party signs in and signs, in any order.
        foreach (var (organisation, email) in new[] { ("London Borough of Camden", $"signer-{title[^6..]}@camden.example"),
                     ("Barts Health NHS Trust", $"signer-{title[^6..]}@barts.example"), ("London Fire Brigade", $"signer-{title[^6..]}@lfb.example") })
        {
            await app.Server.AddPersonAsync(email, organisation, Concordat.Organisations.OrganisationRole.Signatory);
            await page.GotoAsync("/sign-in");
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync(ConcordatServer.PersonPassword);
            await page.NavigatesAsync(() => page.Locator("#password").PressAsync("Enter"));
            await page.GotoAsync(agreementUrl);
            await page.NavigatesAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Out for sign-off: see who has signed, and sign for your organisation" }).ClickAsync());
            await AssertAccessibleAsync(page);
            await page.NavigatesAsync(() => Button(page, $"Sign for {organisation}").ClickAsync());
            await Expect(page.SuccessBanner()).ToContainTextAsync($"You signed for {organisation}.");
            await Button(page, "Sign out").ClickAsync();
        }

        // Published: anyone finds it in the register and in search, and its Word document reads back as valid OOXML.
        await page.GotoAsync($"/search?q={title[^6..]}");
        await page.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.Locator(".govuk-summary-list__row", new() { HasText = "Template" })).ToContainTextAsync("Information sharing agreement, version 1");
        await AssertAccessibleAsync(page);
        var wordLink = page.Locator("a[href^='/files/']", new() { HasText = ".docx" }).First;
        var word = await page.APIRequest.GetAsync(await wordLink.GetAttributeAsync("href") ?? "");
        using (var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(await word.BodyAsync()), false))
        {
            Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document));
            Assert.Equal(title, document.PackageProperties.Title);
        }
        await page.GotoAsync("/agreements?sort=newest");
        await Expect(page.Locator("main")).ToContainTextAsync(title);
        problems.AssertNone();
    }
}
