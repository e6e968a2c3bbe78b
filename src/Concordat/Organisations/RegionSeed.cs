using Concordat.Data;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations;

/// <summary>
/// The real London public bodies, seeded at every start (missing ones are added, none are changed).
/// Codes appear only where they are certain: GSS codes for the 33 local authorities (E09000001 City
/// of London, then the boroughs in alphabetical order) and NHS ODS codes for the NHS bodies.
/// </summary>
public static class RegionSeed
{
    static readonly (string Borough, string Name)[] LocalAuthorities =
    [
        ("City of London", "City of London Corporation"),
        ("Barking and Dagenham", "London Borough of Barking and Dagenham"),
        ("Barnet", "London Borough of Barnet"),
        ("Bexley", "London Borough of Bexley"),
        ("Brent", "London Borough of Brent"),
        ("Bromley", "London Borough of Bromley"),
        ("Camden", "London Borough of Camden"),
        ("Croydon", "London Borough of Croydon"),
        ("Ealing", "London Borough of Ealing"),
        ("Enfield", "London Borough of Enfield"),
        ("Greenwich", "Royal Borough of Greenwich"),
        ("Hackney", "London Borough of Hackney"),
        ("Hammersmith and Fulham", "London Borough of Hammersmith and Fulham"),
        ("Haringey", "London Borough of Haringey"),
        ("Harrow", "London Borough of Harrow"),
        ("Havering", "London Borough of Havering"),
        ("Hillingdon", "London Borough of Hillingdon"),
        ("Hounslow", "London Borough of Hounslow"),
        ("Islington", "London Borough of Islington"),
        ("Kensington and Chelsea", "Royal Borough of Kensington and Chelsea"),
        ("Kingston upon Thames", "Royal Borough of Kingston upon Thames"),
        ("Lambeth", "London Borough of Lambeth"),
        ("Lewisham", "London Borough of Lewisham"),
        ("Merton", "London Borough of Merton"),
        ("Newham", "London Borough of Newham"),
        ("Redbridge", "London Borough of Redbridge"),
        ("Richmond upon Thames", "London Borough of Richmond upon Thames"),
        ("Southwark", "London Borough of Southwark"),
        ("Sutton", "London Borough of Sutton"),
        ("Tower Hamlets", "London Borough of Tower Hamlets"),
        ("Waltham Forest", "London Borough of Waltham Forest"),
        ("Wandsworth", "London Borough of Wandsworth"),
        ("Westminster", "Westminster City Council"),
    ];

    /// <summary>GSS code → borough name, for the geography of an agreement.</summary>
    public static IReadOnlyList<(string GssCode, string Borough)> Boroughs { get; } =
        LocalAuthorities.Select((la, i) => ($"E09{i + 1:000000}", la.Borough)).ToArray();

    public static string? BoroughName(string gssCode) =>
        Boroughs.FirstOrDefault(b => b.GssCode == gssCode).Borough;

    public static IEnumerable<Organisation> Organisations()
    {
        for (var i = 0; i < LocalAuthorities.Length; i++)
            yield return new Organisation
            {
                Name = LocalAuthorities[i].Name,
                ShortName = LocalAuthorities[i].Borough,
                Type = OrganisationType.LocalAuthority,
                GssCode = $"E09{i + 1:000000}",
            };

        yield return Org("Greater London Authority", "GLA", OrganisationType.GreaterLondonAuthority);
        yield return Org("London Fire Brigade", "LFB", OrganisationType.FireAndRescue);
        yield return Org("Metropolitan Police Service", "Met Police", OrganisationType.Police);
        yield return Org("City of London Police", "CoLP", OrganisationType.Police);
        yield return Org("London Ambulance Service NHS Trust", "LAS", OrganisationType.Ambulance, "RRU");
        yield return Org("NHS North Central London Integrated Care Board", "NCL ICB", OrganisationType.IntegratedCareBoard, "QMJ");
        yield return Org("NHS North East London Integrated Care Board", "NEL ICB", OrganisationType.IntegratedCareBoard, "QMF");
        yield return Org("NHS North West London Integrated Care Board", "NWL ICB", OrganisationType.IntegratedCareBoard, "QRV");
        yield return Org("NHS South East London Integrated Care Board", "SEL ICB", OrganisationType.IntegratedCareBoard, "QKK");
        yield return Org("NHS South West London Integrated Care Board", "SWL ICB", OrganisationType.IntegratedCareBoard, "QWE");
        yield return Org("Barts Health NHS Trust", "Barts Health", OrganisationType.NhsTrust, "R1H");
        yield return Org("Guy's and St Thomas' NHS Foundation Trust", "GSTT", OrganisationType.NhsTrust, "RJ1");
        yield return Org("King's College Hospital NHS Foundation Trust", "King's", OrganisationType.NhsTrust, "RJZ");
        yield return Org("Imperial College Healthcare NHS Trust", "Imperial", OrganisationType.NhsTrust, "RYJ");
        yield return Org("University College London Hospitals NHS Foundation Trust", "UCLH", OrganisationType.NhsTrust, "RRV");
        yield return Org("South London and Maudsley NHS Foundation Trust", "SLaM", OrganisationType.NhsTrust, "RV5");
        yield return Org("East London NHS Foundation Trust", "ELFT", OrganisationType.NhsTrust, "RWK");
        yield return Org("Central and North West London NHS Foundation Trust", "CNWL", OrganisationType.NhsTrust, "RV3");
        yield return Org("Probation Service London", "London Probation", OrganisationType.Probation);
        yield return Org("Refuge", null, OrganisationType.VoluntaryOrganisation);
        yield return Org("Age UK London", null, OrganisationType.VoluntaryOrganisation);
        yield return Org("Shelter", null, OrganisationType.VoluntaryOrganisation);
        yield return Org("Peabody", null, OrganisationType.HousingAssociation);
        yield return Org("Clarion Housing Group", "Clarion", OrganisationType.HousingAssociation);
    }

    static Organisation Org(string name, string? shortName, OrganisationType type, string? ods = null) =>
        new() { Name = name, ShortName = shortName, Type = type, OdsCode = ods };

    /// <summary>Adds any seeded organisation that is missing; never edits what people have changed.</summary>
    public static async Task EnsureSeededAsync(ConcordatDb db, CancellationToken ct = default)
    {
        var existing = (await db.Organisations.Select(o => o.Name).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = Organisations().Where(o => !existing.Contains(o.Name)).ToList();
        if (missing.Count == 0) return;
        db.Organisations.AddRange(missing);
        await db.SaveChangesAsync(ct);
    }
}
