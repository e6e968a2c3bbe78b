using System.Globalization;
using System.Text;
using System.Xml;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Concordat.OpenData;

/// <summary>
/// The public register for other systems: an Atom feed of what was published or changed, and a description of the
/// dataset (DCAT, in JSON-LD) that catalogues such as data.gov.uk or a city data store can harvest. Both show only
/// public agreements, whoever asks: feed readers and harvesters are anonymous.
/// </summary>
public static class OpenDataEndpoints
{
    public const int FeedEntries = 50;
    public const string LicenceName = "Open Government Licence v3.0";
    public const string LicenceUrl = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

    public static void MapOpenData(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/agreements.atom", FeedAsync);
        app.MapGet("/open-data/dataset.jsonld", DatasetAsync);
    }

    /// <summary>
    /// The public agreements changed most recently, newest first, read through AgreementAccess like everything else.
    /// </summary>
    static Task<List<Agreement>> LatestPublicAsync(ConcordatDb db, CancellationToken ct) =>
        db.Agreements.AsNoTracking().VisibleTo(Viewer.Anonymous).OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id).Take(FeedEntries)
            .Include(a => a.LeadOrganisation).ToListAsync(ct);

    static async Task<IResult> FeedAsync(PublicSite publicSite, ConcordatDb db, TimeProvider clock, CancellationToken ct)
    {
        var site = publicSite.BaseUrl;
        var latest = await LatestPublicAsync(db, ct);
        var output = new MemoryStream();
        await using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true, Indent = true }))
        {
            const string atom = "http://www.w3.org/2005/Atom";
            xml.WriteStartElement("feed", atom);
            xml.WriteElementString("title", atom, "Concordat: data sharing agreements published and updated");
            xml.WriteElementString("subtitle", atom, $"The {FeedEntries} public agreements in the register that changed most recently. Licence: {LicenceName}.");
            xml.WriteElementString("id", atom, $"{site}/feeds/agreements.atom");
            xml.WriteElementString("updated", atom, Stamp(latest.Count > 0 ? latest.Max(a => a.UpdatedAt) : clock.GetUtcNow()));
            Link(xml, "self", $"{site}/feeds/agreements.atom", "application/atom+xml");
            Link(xml, "alternate", $"{site}/agreements", "text/html");
            xml.WriteElementString("rights", atom, LicenceName);
            foreach (var a in latest)
            {
                xml.WriteStartElement("entry", atom);
                xml.WriteElementString("id", atom, $"{site}/agreements/{a.Id}");
                xml.WriteElementString("title", atom, $"{a.Reference}: {a.Title}");
                xml.WriteElementString("published", atom, Stamp(a.PublishedAt!.Value));
                xml.WriteElementString("updated", atom, Stamp(a.UpdatedAt));
                Link(xml, "alternate", $"{site}/agreements/{a.Id}", "text/html");
                Link(xml, "alternate", $"{site}/api/v1/agreements/{a.Id}", "application/json");
                xml.WriteStartElement("author", atom);
                xml.WriteElementString("name", atom, a.LeadOrganisation?.Name ?? "Unknown");
                xml.WriteEndElement();
                xml.WriteStartElement("category", atom);
                xml.WriteAttributeString("term", a.Status.Slug());
                xml.WriteAttributeString("label", a.Status.Describe());
                xml.WriteEndElement();
                if (!string.IsNullOrWhiteSpace(a.Purpose)) xml.WriteElementString("summary", atom, a.Purpose);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return TypedResults.Bytes(output.ToArray(), "application/atom+xml; charset=utf-8");
    }

    static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", "http://www.w3.org/2005/Atom");
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("href", href);
        xml.WriteAttributeString("type", type);
        xml.WriteEndElement();
    }

    static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The register as a DCAT dataset: what it is, its licence, when it last changed, and where to download it.</summary>
    static async Task<IResult> DatasetAsync(PublicSite publicSite, ConcordatDb db, CancellationToken ct)
    {
        var site = publicSite.BaseUrl;
        var latest = await LatestPublicAsync(db, ct);
        var modified = latest.Count > 0 ? latest.Max(a => a.UpdatedAt) : (DateTimeOffset?)null;
        object Distribution(string title, string url, string mediaType) => new Dictionary<string, object>
        {
            ["@type"] = "dcat:Distribution",
            ["dct:title"] = title,
            ["dcat:downloadURL"] = new Dictionary<string, string> { ["@id"] = url },
            ["dcat:mediaType"] = mediaType,
            ["dct:license"] = new Dictionary<string, string> { ["@id"] = LicenceUrl },
        };
        var dataset = new Dictionary<string, object?>
        {
            ["@context"] = new Dictionary<string, string>
            {
                ["dcat"] = "http://www.w3.org/ns/dcat#",
                ["dct"] = "http://purl.org/dc/terms/",
                ["foaf"] = "http://xmlns.com/foaf/0.1/",
            },
            ["@id"] = $"{site}/open-data/dataset.jsonld",
            ["@type"] = "dcat:Dataset",
            ["dct:title"] = "Register of data sharing agreements",
            ["dct:description"] = "The data sharing agreements that public bodies in the region publish: who shares what personal data with whom, " +
                "for what purpose, under which lawful basis and legal powers, and when each agreement is next reviewed. One record per agreement, " +
                "following the register's minimal schema.",
            ["dct:publisher"] = new Dictionary<string, string> { ["@type"] = "foaf:Organization", ["foaf:name"] = "Concordat" },
            ["dct:license"] = new Dictionary<string, string> { ["@id"] = LicenceUrl },
            ["dct:rights"] = $"Metadata: {LicenceName}. Agreement documents remain the copyright of the organisations that wrote them.",
            ["dct:modified"] = modified is { } m ? Stamp(m) : null,
            ["dct:spatial"] = "London",
            ["dcat:keyword"] = new[] { "data sharing", "information governance", "UK GDPR", "data protection", "public sector" },
            ["dcat:landingPage"] = new Dictionary<string, string> { ["@id"] = $"{site}/open-data" },
            ["dcat:distribution"] = new[]
            {
                Distribution("The register as CSV", $"{site}/export/agreements.csv", "text/csv"),
                Distribution("The register as JSON", $"{site}/export/agreements.json", "application/json"),
                Distribution("The register as JSON Lines", $"{site}/export/agreements.jsonl", "application/jsonl"),
                Distribution("Agreements published and updated (Atom)", $"{site}/feeds/agreements.atom", "application/atom+xml"),
            },
        };
        return TypedResults.Json(dataset, contentType: "application/ld+json; charset=utf-8");
    }
}
