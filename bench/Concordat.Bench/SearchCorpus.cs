using System.Security.Cryptography;
using System.Text;
using Concordat.Agreements;
using Concordat.Organisations;

namespace Concordat.Bench;

/// <summary>One generated agreement for the search benchmark: the record, and the extracted text of each of its files (none without text).</summary>
sealed record GeneratedAgreement(Agreement Agreement, IReadOnlyList<string> FileTexts, IReadOnlyList<int> FilePages);

/// <summary>
/// Deterministic corpus for the search benchmark: agreements between the real organisations the app seeds, each with a
/// varied record (type, status, lawful bases, sensitivities, subjects, themes, boroughs, dates, visibility) and 1–3 files
/// of 5–40 pages of clause text (about 2,800 characters a page) assembled from pools of clauses about purposes, data
/// items, legislation, security, retention, breaches and rights, with names, case numbers, dates and postcodes that give
/// the vocabulary a long tail. A few words are planted at a known rate, so the query mix has a rare term whatever N is.
/// Same seed and same organisations: same corpus. Without text (the export benchmark, which needs records, not words) the
/// files keep their version rows but no text is generated, so the records differ from the with-text corpus after the first.
/// </summary>
sealed class SearchCorpus(IReadOnlyList<Organisation> organisations, int seed = SearchCorpus.Seed, bool withText = true)
{
    public const int Seed = 40_2026;
    public const int MinPages = 5, MaxPages = 40, CharsPerPage = 2_800;
    /// <summary>The rare term: one agreement in <see cref="RareEvery"/> mentions it, so about N/1000 hits.</summary>
    public const string RareWord = "beekeeping";
    public const int RareEvery = 1000;

    readonly Random _random = new(seed);
    readonly Organisation[] _boroughs = organisations.Where(o => o.Type == OrganisationType.LocalAuthority && o.GssCode is not null).OrderBy(o => o.Id).ToArray();
    readonly Organisation[] _others = organisations.Where(o => o.Type != OrganisationType.LocalAuthority).OrderBy(o => o.Id).ToArray();
    static readonly DateTimeOffset Epoch = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    public GeneratedAgreement Next(int index)
    {
        var r = _random;
        var scenario = Scenarios[r.Next(Scenarios.Length)];
        var lead = _boroughs[r.Next(_boroughs.Length)];
        var partners = Enumerable.Range(0, r.Next(1, 5)).Select(_ => r.Next(3) == 0 ? _boroughs[r.Next(_boroughs.Length)] : _others[r.Next(_others.Length)])
            .Where(o => o.Id != lead.Id).DistinctBy(o => o.Id).ToList();
        var published = r.Next(10) != 0; // one in ten still a draft
        var status = !published ? AgreementStatus.Draft : Pick(r, [AgreementStatus.Active, AgreementStatus.Active, AgreementStatus.Active, AgreementStatus.UnderReview, AgreementStatus.Expired, AgreementStatus.Superseded, AgreementStatus.AwaitingSignature]);
        var start = new DateOnly(2012, 1, 1).AddDays(r.Next(13 * 365));
        var created = Epoch.AddMinutes(index);
        var reference = $"DSA-2025-{index + 1:00000}";
        var purpose = scenario.Purpose.Replace("{b}", lead.ShortName ?? lead.Name);
        var agreement = new Agreement
        {
            Reference = reference,
            Title = $"{scenario.Title} ({lead.ShortName ?? lead.Name})",
            AgreementType = Pick(r, Enum.GetValues<AgreementType>()),
            Purpose = purpose,
            Benefits = Pick(r, Benefits),
            LeadOrganisationId = lead.Id,
            Parties = partners.Select(p => new AgreementParty { OrganisationId = p.Id, Role = Pick(r, Enum.GetValues<PartyRole>()) })
                .Prepend(new AgreementParty { OrganisationId = lead.Id, Role = PartyRole.JointController }).ToList(),
            DataFlows = partners.Take(2).Select(p => new DataFlow { FromOrganisationId = lead.Id, ToOrganisationId = p.Id, DataItems = string.Join(", ", Sample(r, DataItems, 4)), Frequency = Pick(r, Enum.GetValues<FlowFrequency>()) }).ToList(),
            DataSubjects = [.. scenario.Subjects],
            Sensitivities = r.Next(2) == 0 ? [Sensitivity.Personal, Sensitivity.SpecialCategory] : r.Next(3) == 0 ? [Sensitivity.Personal, Sensitivity.CriminalOffence] : [Sensitivity.Personal],
            LawfulBases = r.Next(4) == 0 ? [LawfulBasis.PublicTask, LawfulBasis.LegalObligation] : [LawfulBasis.PublicTask],
            LegalPowers = [.. scenario.Powers],
            BoroughCodes = [lead.GssCode!],
            PanLondon = r.Next(20) == 0,
            Themes = [.. scenario.Themes],
            Status = status,
            StartDate = start,
            ReviewDate = start.AddYears(r.Next(1, 4)),
            TemplateReference = r.Next(3) == 0 ? "TPL-ISA-1.0" : null,
            Visibility = r.Next(10) switch { < 7 => Visibility.Public, < 9 => Visibility.Partners, _ => Visibility.PartiesOnly },
            CreatedAt = created,
            UpdatedAt = created,
            PublishedAt = published ? created : null,
            CreatedBy = "bench",
        };

        var names = partners.Prepend(lead).Select(o => o.Name).ToArray();
        var files = r.Next(1, 4);
        var texts = new List<string>(files);
        var pages = new List<int>(files);
        for (var f = 0; f < files; f++)
        {
            var p = r.Next(MinPages, MaxPages + 1);
            pages.Add(p);
            if (withText) texts.Add(Text(r, agreement, scenario, names, f, p, index % RareEvery == 7 && f == 0));
        }
        for (var i = 0; i < files; i++)
        {
            var content = withText ? texts[i] : $"{reference}-{i + 1}";
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
            agreement.Files.Add(new AgreementFile
            {
                Kind = i == 0 ? FileKind.Agreement : i == 1 ? FileKind.Dpia : FileKind.Appendix,
                CreatedAt = created,
                Versions =
                [
                    new FileVersion
                    {
                        Number = 1, FileName = $"{reference}-{i + 1}.pdf", MediaType = "application/pdf", Sha256 = sha,
                        SizeBytes = withText ? texts[i].Length * 2L : pages[i] * CharsPerPage * 2L, PageCount = pages[i], HasText = withText, UploadedAt = created, UploadedBy = "bench",
                    },
                ],
            });
        }
        return new GeneratedAgreement(agreement, texts, pages);
    }

    static string Text(Random r, Agreement a, Scenario s, string[] parties, int file, int pages, bool rare)
    {
        var target = pages * CharsPerPage;
        var sb = new StringBuilder(target + 2_000);
        sb.Append(file switch { 0 => "Information sharing agreement", 1 => "Data protection impact assessment", _ => "Appendix" })
            .Append(": ").Append(a.Title).Append(" (").Append(a.Reference).Append(")\n\n");
        sb.Append("Parties: ").AppendJoin("; ", parties).Append(".\n\n").Append(a.Purpose).Append("\n\n");
        var section = 0;
        while (sb.Length < target)
        {
            var (heading, clauses) = Sections[section % Sections.Length];
            section++;
            sb.Append(section).Append(". ").Append(heading).Append('\n');
            var paragraphs = r.Next(2, 5);
            for (var p = 0; p < paragraphs; p++)
            {
                sb.Append(section).Append('.').Append(p + 1).Append(' ');
                var sentences = r.Next(3, 7);
                for (var k = 0; k < sentences; k++)
                {
                    var template = r.Next(4) == 0 ? Pick(r, General) : Pick(r, clauses);
                    Fill(sb, template, r, a, s, parties);
                    sb.Append(' ');
                }
                if (rare && section == 3 && p == 0)
                    sb.Append("Volunteers at the community garden ").Append(RareWord).Append(" project are contacted only through the coordinator named in the schedule. ");
                sb.Append('\n');
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    static void Fill(StringBuilder sb, string template, Random r, Agreement a, Scenario s, string[] parties)
    {
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); return; }
            sb.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            var slot = template.AsSpan(open + 1, close - open - 1);
            switch (slot)
            {
                case "party": sb.Append(parties[r.Next(parties.Length)]); break;
                case "item": sb.Append(Pick(r, DataItems)); break;
                case "items": sb.AppendJoin(", ", Sample(r, DataItems, r.Next(2, 5))); break;
                case "law": sb.Append(r.Next(3) == 0 && a.LegalPowers.Count > 0 ? a.LegalPowers[r.Next(a.LegalPowers.Count)] : Pick(r, Laws)); break;
                case "role": sb.Append(Pick(r, Roles)); break;
                case "control": sb.Append(Pick(r, Controls)); break;
                case "period": sb.Append(Pick(r, Periods)); break;
                case "purpose": sb.Append(Pick(r, s.Activities)); break;
                case "subject": sb.Append(Pick(r, s.SubjectWords)); break;
                case "days": sb.Append(Pick(r, Days)); break;
                case "person": sb.Append(Pick(r, FirstNames)).Append(' ').Append(Pick(r, Surnames)); break;
                case "case": sb.Append(Pick(r, CasePrefixes)).Append('-').Append(r.Next(2015, 2026)).Append('-').Append(r.Next(10000, 99999)); break;
                case "date": sb.Append(new DateOnly(2014, 1, 1).AddDays(r.Next(4000)).ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)); break;
                case "postcode": sb.Append(Pick(r, PostcodeAreas)).Append(r.Next(1, 20)).Append(' ').Append(r.Next(1, 10)).Append((char)('A' + r.Next(26))).Append((char)('A' + r.Next(26))); break;
                case "system": sb.Append(Pick(r, Systems)); break;
                default: sb.Append(slot); break;
            }
            i = close + 1;
        }
    }

    static T Pick<T>(Random r, IReadOnlyList<T> values) => values[r.Next(values.Count)];

    static IEnumerable<T> Sample<T>(Random r, IReadOnlyList<T> values, int n) => Enumerable.Range(0, n).Select(_ => values[r.Next(values.Count)]).Distinct();

    sealed record Scenario(string Title, string Purpose, string[] Powers, Theme[] Themes, DataSubject[] Subjects, string[] Activities, string[] SubjectWords);

    static readonly Scenario[] Scenarios =
    [
        new("Home fire safety visit referrals", "Adult social care in {b} refers residents at higher risk of fire to London Fire Brigade for a home fire safety visit.",
            ["Fire and Rescue Services Act 2004 s6", "Care Act 2014 s1 and s6"], [Theme.FireSafety, Theme.SafeguardingAdults], [DataSubject.Residents, DataSubject.AdultsWithCareNeeds],
            ["arranging a home fire safety visit", "fitting smoke alarms and sprinkler systems", "assessing the risk of fire in the home", "following up a fire safety referral"],
            ["residents who smoke in bed", "people with limited mobility", "older residents living alone", "residents using oxygen at home"]),
        new("Multi-agency safeguarding hub information sharing", "Partners in the {b} safeguarding hub share what they know about a child when a concern is raised.",
            ["Children Act 1989 s17 and s47", "Children Act 2004 s10 and s11"], [Theme.SafeguardingChildren, Theme.SupportingFamilies], [DataSubject.ChildrenAndYoungPeople, DataSubject.Families],
            ["deciding the level of response to a safeguarding referral", "holding a strategy discussion", "assessing whether a child is in need", "protecting a child from significant harm"],
            ["children known to children's social care", "young carers", "children missing education", "siblings of the referred child"]),
        new("Hoarding and self-neglect panel", "Members of the {b} hoarding panel share information about residents whose hoarding puts them at risk.",
            ["Care Act 2014 s42"], [Theme.Hoarding, Theme.SafeguardingAdults, Theme.FireSafety], [DataSubject.AdultsWithCareNeeds, DataSubject.Tenants],
            ["planning a clearance with the resident's agreement", "assessing the clutter image rating", "coordinating the hoarding panel's actions", "preventing eviction where hoarding breaches a tenancy"],
            ["residents whose hoarding creates a fire risk", "tenants at risk of losing their home", "adults who self-neglect"]),
        new("Multi-agency risk assessment conference", "Agencies attending the {b} MARAC share information about victims of domestic abuse at high risk of serious harm.",
            ["Crime and Disorder Act 1998 s115", "Domestic Abuse Act 2021"], [Theme.DomesticAbuse, Theme.CommunitySafety], [DataSubject.Victims, DataSubject.Offenders, DataSubject.Families],
            ["producing a safety plan for a high-risk victim", "preparing for the conference", "flagging the address of a victim", "referring to an independent domestic violence adviser"],
            ["victims at high risk of serious harm", "alleged perpetrators", "children in the household"]),
        new("Anti-social behaviour case management", "The council, the police and social landlords in {b} share information about anti-social behaviour cases.",
            ["Anti-social Behaviour, Crime and Policing Act 2014"], [Theme.AntiSocialBehaviour, Theme.CommunitySafety, Theme.Housing], [DataSubject.Residents, DataSubject.Tenants, DataSubject.Offenders],
            ["reviewing a community trigger application", "seeking a civil injunction", "issuing a community protection notice", "holding a case review meeting"],
            ["tenants named in complaints", "complainants and witnesses", "young people involved in anti-social behaviour"]),
        new("Duty to refer people at risk of homelessness", "Hospitals refer people at risk of homelessness in {b}, with their consent, to the housing options service.",
            ["Housing Act 1996 s213B", "Homelessness Reduction Act 2017"], [Theme.Homelessness, Theme.Housing, Theme.HealthAndCareIntegration], [DataSubject.Patients, DataSubject.Residents],
            ["preventing homelessness on discharge from hospital", "assessing a housing application", "arranging temporary accommodation", "agreeing a personal housing plan"],
            ["patients without a settled address", "people sleeping rough", "households in temporary accommodation"]),
        new("Falls response and prevention", "London Ambulance Service tells {b} council about older people it attended after a fall and did not take to hospital.",
            ["Care Act 2014 s2", "Health and Social Care Act 2012"], [Theme.HealthAndCareIntegration, Theme.SafeguardingAdults], [DataSubject.Patients, DataSubject.AdultsWithCareNeeds],
            ["offering a falls prevention assessment", "arranging reablement after a fall", "installing telecare equipment", "reviewing a care package"],
            ["older people who have fallen", "patients not conveyed to hospital", "people with frailty"]),
        new("Mental health crisis care pathway", "Mental health services and the police in {b} share information so that people in crisis get care rather than custody.",
            ["Mental Health Act 1983 s136", "Health and Social Care Act 2012"], [Theme.MentalHealth, Theme.HealthAndCareIntegration], [DataSubject.Patients, DataSubject.ServiceUsers],
            ["responding to a mental health crisis", "arranging a place of safety", "planning aftercare under section 117", "supporting a street triage team"],
            ["people detained under section 136", "patients under the care of the crisis team", "people known to community mental health services"]),
        new("School attendance and exclusions data", "Schools and the council in {b} share attendance and exclusion data to support children at risk of missing education.",
            ["Education Act 1996 s436A", "Children Act 2004 s10"], [Theme.Education, Theme.SafeguardingChildren], [DataSubject.ChildrenAndYoungPeople, DataSubject.Families],
            ["tracking children missing education", "planning an early help assessment", "supporting a managed move between schools", "reviewing persistent absence"],
            ["pupils with persistent absence", "excluded pupils", "children electively home educated"]),
        new("Emergency planning and vulnerable persons data", "Responders in {b} share lists of vulnerable people so that they can be helped in an emergency.",
            ["Civil Contingencies Act 2004"], [Theme.EmergencyPlanning, Theme.CommunitySafety], [DataSubject.Residents, DataSubject.AdultsWithCareNeeds],
            ["preparing for a flood or heatwave", "evacuating a building", "running a rest centre", "checking on residents during a power cut"],
            ["residents dependent on electrically powered equipment", "people with care and support needs", "households on the priority services register"]),
    ];

    static readonly string[] Benefits =
    [
        "Fewer fires, injuries and deaths in the home.", "Children are protected sooner, and families get help earlier.",
        "Fewer evictions and fewer emergency admissions.", "Victims are safer and repeat incidents fall.",
        "People leave hospital to a settled home.", "Responders reach the people who need help first in an emergency.",
    ];

    static readonly (string Heading, string[] Clauses)[] Sections =
    [
        ("Purpose of the sharing", [
            "The parties share information for the purpose of {purpose}.",
            "Information about {subject} is shared only where it is needed for {purpose}.",
            "{party} will use the information it receives solely for {purpose} and for no other purpose.",
            "The sharing supports {purpose}, which none of the parties could achieve as well on its own.",
            "Where a request falls outside {purpose}, the {role} of {party} decides whether a further agreement is needed.",
        ]),
        ("Data items", [
            "The data items shared are {items}.",
            "{party} discloses {items} about {subject}.",
            "Only the minimum necessary is shared: usually {items}, and {item} only where the case requires it.",
            "Where {item} is not needed for {purpose}, it is removed before the information is sent.",
            "Records are matched on {item} and {item}, and a mismatch is referred to the {role}.",
        ]),
        ("Legal basis and legislation", [
            "The parties rely on {law} as the power to share.",
            "Sharing under this agreement is lawful under {law} and is necessary for the performance of a task carried out in the public interest.",
            "Special category data is processed under the substantial public interest condition of the Data Protection Act 2018, Schedule 1, and {law}.",
            "Nothing in this agreement overrides the common law duty of confidentiality, and {law} does not remove it.",
            "The parties have considered {law} and the Human Rights Act 1998, Article 8, and are satisfied the sharing is proportionate.",
        ]),
        ("Security of information", [
            "Information is transferred using {control}.",
            "Each party protects the information with {control} and {control}.",
            "Access to shared records on {system} is limited to staff who need it, and every access is logged.",
            "{party} holds the information on {system}, which is protected by {control}.",
            "Printed copies are kept to a minimum, stored in locked cabinets and disposed of as confidential waste.",
        ]),
        ("Retention and disposal", [
            "Shared information is retained for {period} and then securely destroyed.",
            "{party} keeps records about {subject} for {period} in line with its retention schedule.",
            "When the retention period ends, the {role} confirms in writing that the information has been destroyed.",
            "Information held on {system} is deleted automatically after {period} unless a case remains open.",
        ]),
        ("Personal data breaches", [
            "A party that becomes aware of a breach tells the other parties within {days} and records it on its incident log.",
            "The {role} of {party} leads the response to any breach involving information shared under this agreement.",
            "Where a breach is likely to result in a risk to people's rights, it is reported to the Information Commissioner within 72 hours.",
            "Lessons from each breach are shared with all parties at the next review meeting.",
        ]),
        ("Rights of individuals", [
            "Subject access requests are answered by the party that receives them within one calendar month.",
            "Requests for rectification or erasure are passed to the {role} of {party} within {days}.",
            "Each party's privacy notice explains this sharing to {subject} in plain language.",
            "An objection to processing is considered by the {role}, who records the decision and the reasons for it.",
        ]),
        ("Roles and responsibilities", [
            "The {role} of each party is the single point of contact for this agreement.",
            "{person}, {role} at {party}, is responsible for the day-to-day operation of this agreement.",
            "{party} is controller for the information it holds and discloses, and becomes controller of what it receives.",
            "Staff receive data protection training before they are given access to shared information.",
        ]),
        ("Review, monitoring and audit", [
            "This agreement is reviewed every {period}, or sooner if the law or the purpose changes.",
            "The {role} of {party} audits a sample of disclosures each quarter and reports to the information governance board.",
            "Case {case} was reviewed on {date} and the findings were shared with every party.",
            "Performance is monitored against the number of referrals made, accepted and closed within {days}.",
        ]),
        ("Contacts and escalation", [
            "Queries about this agreement go first to {person}, {role}, at {party}.",
            "Disputes are escalated to the {role} and, if unresolved within {days}, to the chief executives of the parties.",
            "Correspondence should be addressed to the information governance team, {party}, {postcode}.",
        ]),
    ];

    static readonly string[] General =
    [
        "This clause applies to every party to this agreement.",
        "The parties agree to work together in good faith to meet the aims of this agreement.",
        "Any change to the data items or the purpose requires a new version of this agreement.",
        "Nothing in this clause prevents a party from meeting its own statutory duties.",
        "Staff should seek advice from their {role} if they are unsure whether to share.",
        "The parties keep a record of every decision to share and every decision not to share.",
        "Where information is shared without consent, the reasons are recorded on {system}.",
        "This section was last updated on {date} following a review by {person}.",
        "Each party remains responsible for the accuracy of the information it shares.",
        "The parties will consider using pseudonymised or anonymised information wherever it meets the purpose.",
    ];

    static readonly string[] DataItems =
    [
        "name", "date of birth", "address", "postcode", "telephone number", "email address", "NHS number", "unique pupil number", "national insurance number",
        "gender", "ethnicity", "first language", "need for an interpreter", "disability", "mobility needs", "medication", "GP practice", "hospital number",
        "next of kin", "household composition", "tenancy reference", "housing register band", "rent arrears", "police national computer reference",
        "crime reference number", "offence history", "risk assessment score", "social care reference", "care package details", "referral reason",
        "school attended", "attendance record", "exclusion history", "mental health diagnosis", "substance misuse history", "smoking status",
        "fire risk assessment outcome", "safeguarding concern", "outcome of the visit", "date of the incident",
    ];

    static readonly string[] Laws =
    [
        "UK GDPR Article 6(1)(e)", "UK GDPR Article 9(2)(g)", "the Data Protection Act 2018", "the Care Act 2014", "the Children Act 1989", "the Children Act 2004",
        "the Crime and Disorder Act 1998", "the Localism Act 2011 s1", "the Local Government Act 2000 s2", "the Health and Social Care Act 2012",
        "the Health and Social Care (Safety and Quality) Act 2015", "the Housing Act 1996", "the Homelessness Reduction Act 2017", "the Mental Health Act 1983",
        "the Civil Contingencies Act 2004", "the Fire and Rescue Services Act 2004", "the Domestic Abuse Act 2021", "the Education Act 1996",
        "the Police and Criminal Evidence Act 1984", "the Digital Economy Act 2017 Part 5", "the Equality Act 2010", "the Freedom of Information Act 2000",
    ];

    static readonly string[] Roles =
    [
        "data protection officer", "Caldicott guardian", "senior information risk owner", "information governance manager", "designated safeguarding lead",
        "team manager", "service manager", "borough commander", "station manager", "records manager", "head of service", "MARAC coordinator",
    ];

    static readonly string[] Controls =
    [
        "encrypted email over TLS", "Egress secure email", "the NHSmail secure service", "role-based access control", "multi-factor authentication",
        "AES-256 encryption at rest", "a secure file transfer portal", "Cyber Essentials Plus certified systems", "quarterly access reviews",
        "audit logging of every record viewed", "a secure government network connection", "password protected spreadsheets sent separately from the password",
    ];

    static readonly string[] Periods = ["six months", "twelve months", "two years", "three years", "six years", "seven years", "until the child's 25th birthday", "the life of the case plus one year"];

    static readonly string[] Days = ["24 hours", "48 hours", "two working days", "five working days", "ten working days", "one calendar month"];

    static readonly string[] Systems = ["Mosaic", "LiquidLogic", "EMIS Web", "SystmOne", "Northgate Housing", "CRIS", "the MASH case log", "Capita One", "Rio", "Sharepoint", "the MARAC portal"];

    static readonly string[] FirstNames = ["Amara", "Ben", "Chloe", "Daniel", "Esther", "Faisal", "Grace", "Hamza", "Imogen", "Joseph", "Kiran", "Laura", "Mohammed", "Nadia", "Oliver", "Priya", "Rachel", "Samuel", "Tariq", "Zoe"];

    static readonly string[] Surnames = ["Adeyemi", "Brown", "Chowdhury", "Davies", "Evans", "Fernandes", "Green", "Hussain", "Iqbal", "Jones", "Khan", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn", "Robinson", "Singh", "Taylor", "Walker", "Yilmaz"];

    static readonly string[] CasePrefixes = ["MASH", "MARAC", "ASB", "HSV", "HOARD", "DTR", "FALLS", "CYP", "EP"];

    static readonly string[] PostcodeAreas = ["E", "EC", "N", "NW", "SE", "SW", "W", "WC", "BR", "CR", "DA", "EN", "HA", "IG", "KT", "RM", "SM", "TW", "UB"];
}
