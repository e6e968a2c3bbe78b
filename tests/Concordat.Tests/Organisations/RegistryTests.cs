using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Organisations;
using Concordat.Tests.Audit;
using Concordat.Tests.Support;

namespace Concordat.Tests.Organisations;

/// <summary>Framework administrators add organisations to the registry and put their details right.</summary>
public sealed class RegistryTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task A_framework_administrator_adds_a_charity_and_corrects_it_and_both_are_audited()
    {
        using var admin = await app.SignedInClientAsync();
        var added = await admin.SubmitAsync("/organisations/new",
            [new("Name", "  Age UK Camden "), new("ShortName", "Age UK Camden"), new("Type", "voluntary-organisation"), new("Website", "https://www.ageuk.org.uk/camden/")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var id = int.Parse(added.Headers.Location!.OriginalString.Split('/').Last());

        using var anyone = app.CreateClient();
        var listed = await anyone.GetFromJsonAsync<JsonObject>($"/api/v1/organisations/{id}");
        Assert.Equal(("Age UK Camden", "voluntary-organisation"), (listed!["name"]!.GetValue<string>(), listed["type"]!.GetValue<string>()));

        var changed = await admin.SubmitAsync($"/organisations/{id}/details",
            [new("Name", "Age UK Camden"), new("Type", "voluntary-organisation"), new("OdsCode", "ab1")]);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("AB1", (await anyone.GetFromJsonAsync<JsonObject>($"/api/v1/organisations/{id}"))!["odsCode"]!.GetValue<string>());

        var events = await new AuditProbe(app).EventsAsync();
        Assert.Contains(events, e => e.Action == "organisation.created" && e.Subject == "organisation:Age UK Camden");
        Assert.Contains(events, e => e.Action == "organisation.changed" && e.Subject == $"organisation:{id}" && e.Details.Contains("\"odsCode\":\"AB1\""));
    }

    [Fact]
    public async Task Mistakes_and_clashes_with_the_registry_are_named()
    {
        using var admin = await app.SignedInClientAsync();
        var response = await admin.SubmitAsync("/organisations/new",
            [new("Name", "London Fire Brigade"), new("Type", "dragon"), new("GssCode", "E0900000X"), new("OdsCode", "RRU"), new("Website", "javascript:alert(1)")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
        [
            "London Fire Brigade is already in the registry",
            "Select the type of organisation",
            "Enter a GSS code as a letter and 8 digits, like E09000007",
            "Another organisation already has the ODS code RRU",
            "Enter the website's full address, starting https://",
        ], response.ParseBody().ErrorSummary());
    }

    [Fact]
    public async Task An_organisation_administrator_cannot_change_the_registry()
    {
        await app.AddPersonAsync("registry.try@camden.example", "London Borough of Camden", OrganisationRole.Administrator, "REGISTRYTRYKEY234567ABCDEFGHIJKL");
        using var client = await app.SignInAsync("registry.try@camden.example", "REGISTRYTRYKEY234567ABCDEFGHIJKL");
        var camden = await app.OrganisationIdAsync("London Borough of Camden");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/organisations/{camden}/details")).StatusCode);
        Assert.Contains(await new AuditProbe(app).EventsAsync($"organisation:{camden}"), e => e.Action == "access.refused");
    }
}
