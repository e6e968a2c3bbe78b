using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Demo;

/// <summary>
/// A realistic demo register, made once when the database has no agreements and
/// Concordat:DemoData is on (the default for the embedded database). Every agreement goes through
/// the same commands and upload path as a person's would, with a generated PDF or Word document.
/// Deterministic: the same organisations and scenarios every time, dates relative to today.
/// </summary>
public sealed class DemoData(ConcordatDb db, AgreementCommands commands, FileUploader uploader, DemoDrafts drafted, TimeProvider clock, ILogger<DemoData> logger)
{
    static readonly Viewer Actor = Viewer.Process("demo data");

    sealed record Scenario(
        string Title, AgreementType Type, string Purpose, string Benefits, string LeadKey, (string Key, PartyRole Role)[] Parties,
        (string From, string To, string Items, FlowFrequency Frequency)[] Flows, DataSubject[] Subjects, Sensitivity[] Sensitivities,
        LawfulBasis[] Bases, string? Condition, string[] Powers, Theme[] Themes, bool PanLondon = false);

    // "{borough}" and "{council}" stand for a borough and its council; LFB, MPS, LAS, ICB, TRUST, HA, VCS name partners.
    static readonly Scenario[] Scenarios =
    [
        new("Home fire safety visit referrals: {borough}", AgreementType.DataDisclosure,
            "{council} adult social care refers residents who are at higher risk of fire, such as people who smoke and have limited mobility, live alone or use oxygen at home, to London Fire Brigade for a home fire safety visit. The Brigade reports back whether the visit took place and what was fitted.",
            "Fewer fire deaths and injuries among people with care and support needs; smoke alarms and fire-retardant bedding fitted where they are needed most.",
            "council", [("council", PartyRole.Discloser), ("LFB", PartyRole.Recipient)],
            [("council", "LFB", "Name, address, telephone number, risk factors (mobility, smoking, oxygen use, hoarding)", FlowFrequency.Weekly),
             ("LFB", "council", "Visit outcome, equipment fitted, follow-up concerns", FlowFrequency.Monthly)],
            [DataSubject.AdultsWithCareNeeds, DataSubject.Residents], [Sensitivity.Personal, Sensitivity.SpecialCategory],
            [LawfulBasis.PublicTask], "Article 9(2)(h) health or social care, DPA 2018 Schedule 1 paragraph 2",
            ["Fire and Rescue Services Act 2004 s6", "Care Act 2014 s1 and s6"], [Theme.FireSafety, Theme.SafeguardingAdults]),
        new("Multi-agency safeguarding hub information sharing: {borough}", AgreementType.InformationSharing,
            "Partners in the {borough} multi-agency safeguarding hub share what they know about a child when a concern is raised, so that a decision on the right response can be made quickly and on full information.",
            "Earlier help for children at risk of harm; one assessment instead of several; decisions recorded with their reasons.",
            "council", [("council", PartyRole.JointController), ("MPS", PartyRole.JointController), ("ICB", PartyRole.JointController), ("TRUST", PartyRole.JointController)],
            [("MPS", "council", "Police contacts, domestic incidents, relevant criminal history of household members", FlowFrequency.OnRequest),
             ("TRUST", "council", "Health contacts, attendance at emergency departments, safeguarding notes", FlowFrequency.OnRequest),
             ("council", "MPS", "Outcome of the hub's decision and agreed actions", FlowFrequency.OnRequest)],
            [DataSubject.ChildrenAndYoungPeople, DataSubject.Families], [Sensitivity.Personal, Sensitivity.SpecialCategory, Sensitivity.CriminalOffence],
            [LawfulBasis.PublicTask, LawfulBasis.LegalObligation], "Article 9(2)(g) substantial public interest, DPA 2018 Schedule 1 paragraph 18 safeguarding of children and individuals at risk",
            ["Children Act 1989 s17 and s47", "Children Act 2004 s10 and s11"], [Theme.SafeguardingChildren]),
        new("Hoarding and self-neglect panel: {borough}", AgreementType.InformationSharing,
            "Members of the {borough} hoarding panel share information about residents whose hoarding or self-neglect puts them or their neighbours at risk, to agree a plan that respects the person's wishes and reduces the risk of fire.",
            "Coordinated support rather than repeated separate visits; reduced fire risk in blocks of flats.",
            "council", [("council", PartyRole.JointController), ("LFB", PartyRole.JointController), ("HA", PartyRole.JointController), ("TRUST", PartyRole.JointController)],
            [("council", "LFB", "Address, nature of hoarding, access issues", FlowFrequency.Monthly),
             ("LFB", "council", "Fire risk assessment of the property", FlowFrequency.Monthly),
             ("HA", "council", "Tenancy concerns and repair access history", FlowFrequency.Monthly)],
            [DataSubject.AdultsWithCareNeeds, DataSubject.Tenants], [Sensitivity.Personal, Sensitivity.SpecialCategory],
            [LawfulBasis.PublicTask], "Article 9(2)(h) health or social care, DPA 2018 Schedule 1 paragraph 2",
            ["Care Act 2014 s42", "Fire and Rescue Services Act 2004 s6"], [Theme.Hoarding, Theme.FireSafety, Theme.SafeguardingAdults]),
        new("Multi-agency risk assessment conference (MARAC): {borough}", AgreementType.InformationSharing,
            "Agencies attending the {borough} MARAC share information about victims of domestic abuse at high risk of serious harm, so that a safety plan can be agreed for each victim and their children.",
            "Safety plans built on what every agency knows; fewer repeat victims.",
            "MPS", [("MPS", PartyRole.JointController), ("council", PartyRole.JointController), ("VCS", PartyRole.JointController), ("TRUST", PartyRole.JointController)],
            [("MPS", "council", "Incident history, risk assessment, details of the alleged perpetrator", FlowFrequency.Monthly),
             ("VCS", "MPS", "Independent domestic violence adviser's risk assessment with the victim's consent where safe", FlowFrequency.Monthly)],
            [DataSubject.Victims, DataSubject.Offenders, DataSubject.ChildrenAndYoungPeople], [Sensitivity.Personal, Sensitivity.SpecialCategory, Sensitivity.CriminalOffence],
            [LawfulBasis.PublicTask], "Article 10 with DPA 2018 Schedule 1 paragraph 10 preventing or detecting unlawful acts, and paragraph 18 safeguarding",
            ["Crime and Disorder Act 1998 s115", "Domestic Abuse Act 2021"], [Theme.DomesticAbuse, Theme.CommunitySafety]),
        new("Anti-social behaviour case management: {borough}", AgreementType.InformationSharing,
            "{council}, the Metropolitan Police and social landlords share information about anti-social behaviour cases to agree interventions and, where needed, apply for civil injunctions or closure orders.",
            "Consistent action across tenures; victims kept informed.",
            "council", [("council", PartyRole.JointController), ("MPS", PartyRole.JointController), ("HA", PartyRole.JointController)],
            [("MPS", "council", "Incident reports and calls for service at named addresses", FlowFrequency.Weekly),
             ("council", "HA", "Case decisions affecting the landlord's tenants", FlowFrequency.OnRequest)],
            [DataSubject.Residents, DataSubject.Tenants, DataSubject.Offenders, DataSubject.Victims], [Sensitivity.Personal, Sensitivity.CriminalOffence],
            [LawfulBasis.PublicTask], "Article 10 with DPA 2018 Schedule 1 paragraph 10 preventing or detecting unlawful acts",
            ["Crime and Disorder Act 1998 s115", "Anti-social Behaviour, Crime and Policing Act 2014"], [Theme.AntiSocialBehaviour, Theme.CommunitySafety]),
        new("Duty to refer people at risk of homelessness: {borough}", AgreementType.DataDisclosure,
            "Hospitals and other public bodies refer people who are homeless or at risk of homelessness, with their consent, to {council} housing options service.",
            "Earlier housing advice; fewer people discharged from hospital to the street.",
            "council", [("council", PartyRole.Recipient), ("TRUST", PartyRole.Discloser), ("VCS", PartyRole.Discloser)],
            [("TRUST", "council", "Name, contact details, reason for referral, discharge date", FlowFrequency.OnRequest)],
            [DataSubject.Residents, DataSubject.Patients], [Sensitivity.Personal],
            [LawfulBasis.LegalObligation], null,
            ["Housing Act 1996 s213B"], [Theme.Homelessness, Theme.Housing]),
        new("Population health intelligence: {icb}", AgreementType.DataProcessing,
            "Pseudonymised records from GP practices, hospitals and councils in the area are linked to plan services and find groups who would benefit from proactive care.",
            "Services planned on evidence; inequalities in access made visible.",
            "ICB", [("ICB", PartyRole.JointController), ("TRUST", PartyRole.JointController), ("council", PartyRole.JointController)],
            [("TRUST", "ICB", "Pseudonymised hospital activity", FlowFrequency.Monthly),
             ("council", "ICB", "Pseudonymised adult social care activity", FlowFrequency.Monthly)],
            [DataSubject.Patients, DataSubject.Residents], [Sensitivity.Pseudonymised, Sensitivity.SpecialCategory],
            [LawfulBasis.PublicTask], "Article 9(2)(h) health or social care, DPA 2018 Schedule 1 paragraph 2",
            ["Health and Social Care Act 2012 s251B", "National Health Service Act 2006"], [Theme.HealthAndCareIntegration]),
        new("Falls response and prevention: {borough}", AgreementType.InformationSharing,
            "London Ambulance Service tells {council} and the local falls service about older people it attended after a fall and did not take to hospital, so that they are offered a falls prevention assessment.",
            "Fewer repeat falls and ambulance call-outs.",
            "LAS", [("LAS", PartyRole.Discloser), ("council", PartyRole.Recipient)],
            [("LAS", "council", "Name, address, date of fall, whether the person consented to referral", FlowFrequency.Daily)],
            [DataSubject.Patients, DataSubject.AdultsWithCareNeeds], [Sensitivity.Personal, Sensitivity.SpecialCategory],
            [LawfulBasis.PublicTask], "Article 9(2)(h) health or social care, DPA 2018 Schedule 1 paragraph 2",
            ["Care Act 2014 s2"], [Theme.HealthAndCareIntegration, Theme.SafeguardingAdults]),
    ];

    static readonly Scenario PanLondonResilience = new("London resilience: vulnerable people in emergencies", AgreementType.OverarchingAccord,
        "In a major emergency such as a flood, a heatwave or a large fire, partners share lists of people who may need help to evacuate or shelter, so that responders reach them first.",
        "Faster, better targeted help for people who are most at risk in an emergency.",
        "GLA", [("GLA", PartyRole.JointController), ("LFB", PartyRole.JointController), ("MPS", PartyRole.JointController), ("LAS", PartyRole.JointController)],
        [("LFB", "GLA", "Incident location and cordons", FlowFrequency.OnRequest), ("GLA", "LFB", "Lists of vulnerable residents within a cordon", FlowFrequency.OnRequest)],
        [DataSubject.Residents, DataSubject.AdultsWithCareNeeds], [Sensitivity.Personal, Sensitivity.SpecialCategory],
        [LawfulBasis.VitalInterests, LawfulBasis.PublicTask], "Article 9(2)(c) vital interests, and DPA 2018 Schedule 1 paragraph 6 statutory purposes",
        ["Civil Contingencies Act 2004"], [Theme.EmergencyPlanning], PanLondon: true);

    public async Task EnsureAsync(CancellationToken ct = default)
    {
        if (await db.Agreements.AnyAsync(ct)) return;
        var orgs = await db.Organisations.AsNoTracking().ToListAsync(ct);
        var councils = orgs.Where(o => o.Type == OrganisationType.LocalAuthority).OrderBy(o => o.GssCode).ToList();
        var byShort = orgs.Where(o => o.ShortName is not null).ToDictionary(o => o.ShortName!, o => o);
        var icbs = orgs.Where(o => o.Type == OrganisationType.IntegratedCareBoard).OrderBy(o => o.Name).ToList();
        var trusts = orgs.Where(o => o.Type == OrganisationType.NhsTrust).OrderBy(o => o.Name).ToList();
        var housing = orgs.Where(o => o.Type == OrganisationType.HousingAssociation).OrderBy(o => o.Name).ToList();
        var charities = orgs.Where(o => o.Type == OrganisationType.VoluntaryOrganisation).OrderBy(o => o.Name).ToList();
        var random = new Random(2026);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var created = 0;

        // Each scenario across a spread of boroughs: 8 scenarios x 8 boroughs, plus the pan-London accord.
        var plan = new List<(Scenario Scenario, int Council)>();
        for (var s = 0; s < Scenarios.Length; s++)
            for (var k = 0; k < 8; k++) plan.Add((Scenarios[s], (s * 5 + k * 4) % councils.Count));
        plan.Add((PanLondonResilience, 0));

        foreach (var (scenario, councilIndex) in plan)
        {
            var council = councils[councilIndex];
            var icb = icbs[councilIndex % icbs.Count];
            var keys = new Dictionary<string, Organisation>
            {
                ["council"] = council, ["LFB"] = byShort["LFB"], ["MPS"] = byShort["Met Police"], ["LAS"] = byShort["LAS"], ["GLA"] = byShort["GLA"],
                ["ICB"] = icb, ["TRUST"] = trusts[councilIndex % trusts.Count], ["HA"] = housing[councilIndex % housing.Count],
                ["VCS"] = charities[councilIndex % charities.Count],
            };
            string Fill(string text) => text.Replace("{borough}", council.ShortName).Replace("{council}", council.Name).Replace("{icb}", icb.Name);

            var start = today.AddDays(-random.Next(60, 5 * 365));
            var review = start.AddYears(random.Next(1, 4));
            var status = review < today.AddDays(-200) && random.Next(3) == 0 ? AgreementStatus.Expired
                : review < today ? AgreementStatus.UnderReview : AgreementStatus.Active;
            var draft = created % 13 == 5; // a few records are still drafts
            var input = new AgreementInput
            {
                Title = Fill(scenario.Title),
                AgreementType = scenario.Type.Slug(),
                Purpose = Fill(scenario.Purpose),
                Benefits = scenario.Benefits,
                LeadOrganisationId = keys[scenario.LeadKey].Id,
                Parties = scenario.Parties.Select(p => new PartyInput { OrganisationId = keys[p.Key].Id, Role = p.Role.Slug() }).ToList(),
                DataFlows = scenario.Flows.Select(f => new DataFlowInput
                {
                    FromOrganisationId = keys[f.From].Id, ToOrganisationId = keys[f.To].Id, DataItems = f.Items, Frequency = f.Frequency.Slug(),
                }).ToList(),
                DataSubjects = scenario.Subjects.Select(s => s.Slug()).ToList(),
                Sensitivity = scenario.Sensitivities.Select(s => s.Slug()).ToList(),
                LawfulBasis = scenario.Bases.Select(b => b.Slug()).ToList(),
                SpecialCategoryCondition = scenario.Condition,
                LegalPowers = [.. scenario.Powers],
                PanLondon = scenario.PanLondon,
                Boroughs = scenario.PanLondon ? [] : [council.GssCode!],
                Themes = scenario.Themes.Select(t => t.Slug()).ToList(),
                Dpia = (random.Next(4) == 0 ? DpiaStatus.NotDone : DpiaStatus.Done).Slug(),
                Status = (draft ? AgreementStatus.Draft : status).Slug(),
                StartDate = start.ToString("yyyy-MM-dd"),
                ReviewDate = review.ToString("yyyy-MM-dd"),
                Version = $"{random.Next(1, 4)}.{random.Next(0, 3)}",
                // Most of the register is public; some agreements are for partners or the parties alone.
                Visibility = (created % 10 == 3 ? Visibility.PartiesOnly : created % 5 == 2 ? Visibility.Partners : Visibility.Public).Slug(),
                ContactEmail = $"information.governance@{Slugify(keys[scenario.LeadKey].ShortName ?? "partner")}.example.gov.uk",
            };

            var (agreement, errors) = await commands.CreateAsync(input, Actor, ct);
            if (agreement is null) throw new InvalidOperationException($"Demo scenario '{input.Title}' is invalid: {string.Join("; ", errors.SelectMany(e => e.Value))}");

            var content = DemoDocuments.ForAgreement(input.Title, agreement.Reference, scenario.Purpose.Replace("{council}", council.Name).Replace("{borough}", council.ShortName),
                scenario.Parties.Select(p => (keys[p.Key].Name, p.Role.Describe())).ToList(), scenario.Powers, pages: 3 + random.Next(5));
            var asWord = created % 3 == 1;
            var bytes = asWord
                ? AgreementDocumentWriter.Docx(content, scenario.Parties.Select(p => (keys[p.Key].Name, p.Role.Describe())).ToList())
                : AgreementDocumentWriter.Pdf(content);
            var fileName = $"{agreement.Reference} {Fill(scenario.Title).Split(':')[0]}.{(asWord ? "docx" : "pdf")}";
            await using (var stream = new MemoryStream(bytes))
            {
                var (_, failure) = await uploader.UploadAsync(agreement, null, FileKind.Agreement, stream, fileName, "demo data", ct);
                if (failure is not null) throw new InvalidOperationException($"Demo document for {agreement.Reference} was refused: {failure.Detail}");
            }
            if (!draft)
            {
                var publishErrors = await commands.PublishAsync(agreement, Actor, ct);
                if (publishErrors.Count > 0) throw new InvalidOperationException($"Demo {agreement.Reference} cannot be published: {string.Join("; ", publishErrors.SelectMany(e => e.Value))}");
            }
            created++;
        }
        db.ChangeTracker.Clear();
        created += await drafted.EnsureAsync(ct);
        db.ChangeTracker.Clear();
        logger.LogInformation("Created {Count} demo agreements", created);
    }

    static string Slugify(string name) => new(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
