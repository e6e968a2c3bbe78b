using Concordat.Agreements;
using Concordat.Data;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Search;

/// <summary>
/// An agreement as the index holds it: its words by field, and the labels that say who may find it.
/// Labels mirror AgreementAccess: "public", "partners", "party-{organisation}" for the lead and every
/// party, and "draft-{lead}" for a draft, which only the lead's editors see ("signing-{party}" too while it awaits signature). A search is restricted to
/// the labels of the person asking, so totals, snippets and counts never include what they may not see.
/// </summary>
public static class AgreementSearchDocument
{
    public const string Reference = "ref", Id = "id", Updated = "updated", Label = "label", Title = "title", Record = "record";
    /// <summary>File text by who may read it: as the agreement, partners only, or the parties only.</summary>
    public const string Text = "text", PartnersText = "text_partners", PartiesText = "text_parties";
    /// <summary>Doc values for sorting and facet counts, read column-wise without loading documents.</summary>
    public const string SortTitle = "sort_title", SortReview = "sort_review", SortId = "sort_id";
    /// <summary>Stored, one per file text in the order indexed: its field, hash and length, to find a passage's file from an offset.</summary>
    public const string Part = "part";

    /// <summary>File text is indexed with offsets, so snippets come from the postings rather than re-reading every file.</summary>
    static readonly FieldType TextWithOffsets = Frozen(new FieldType(TextField.TYPE_NOT_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS });

    static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    /// <summary>The visibility of the files whose text a field holds.</summary>
    public static Visibility FileVisibilityOf(string field) => field switch
    {
        PartnersText => Visibility.Partners,
        PartiesText => Visibility.PartiesOnly,
        _ => Visibility.Public,
    };

    public static (string Field, string Sha256, int Length) ReadPart(string part)
    {
        var pieces = part.Split('\t');
        return (pieces[0], pieces[1], int.Parse(pieces[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The agreements with these references, with all the index needs of each; a reference with no agreement is left out.</summary>
    public static async Task<List<Agreement>> LoadAsync(ConcordatDb db, IReadOnlyCollection<string> references, CancellationToken ct) =>
        await db.Agreements.AsNoTracking().AsSplitQuery()
            .Include(a => a.LeadOrganisation)
            .Include(a => a.Parties).ThenInclude(p => p.Organisation)
            .Include(a => a.DataFlows)
            .Include(a => a.Files).ThenInclude(f => f.Versions)
            .Where(a => references.Contains(a.Reference))
            .ToListAsync(ct);

    /// <summary>The extracted text of each file's latest version, for agreements loaded by <see cref="LoadAsync"/>, by hash.</summary>
    public static async Task<Dictionary<string, string>> TextsAsync(ConcordatDb db, IEnumerable<Agreement> agreements, CancellationToken ct)
    {
        var hashes = agreements.SelectMany(Latest).Select(x => x.Version.Sha256).Distinct().ToList();
        return await db.FileTexts.AsNoTracking().Where(t => hashes.Contains(t.Sha256)).ToDictionaryAsync(t => t.Sha256, t => t.Text, ct);
    }

    /// <summary>Each file's latest version, in a fixed order, so the stored parts say which file an offset falls in.</summary>
    static IEnumerable<(AgreementFile File, FileVersion Version)> Latest(Agreement a) =>
        a.Files.OrderBy(f => f.Id).Select(f => (File: f, Version: f.Versions.MaxBy(v => v.Number))).Where(x => x.Version is not null).Select(x => (x.File, x.Version!));

    public static IEnumerable<string> LabelsOf(Agreement a)
    {
        if (a.PublishedAt is null)
        {
            yield return $"draft-{a.LeadOrganisationId}";
            // Out for sign-off, a draft is seen by its parties' members too (AgreementAccess).
            if (a.Status == AgreementStatus.AwaitingSignature)
                foreach (var organisation in a.Parties.Select(p => p.OrganisationId).Distinct().Order()) yield return $"signing-{organisation}";
            yield break;
        }
        if (a.Visibility == Visibility.Public) yield return "public";
        if (a.Visibility is Visibility.Public or Visibility.Partners) yield return "partners";
        foreach (var organisation in a.Parties.Select(p => p.OrganisationId).Append(a.LeadOrganisationId).Distinct().Order())
            yield return $"party-{organisation}";
    }

    /// <summary>The document for an agreement loaded by <see cref="LoadAsync"/>, with the extracted text of each file's latest version (<see cref="TextsAsync"/>).</summary>
    public static Document Build(Agreement a, IReadOnlyDictionary<string, string> texts)
    {
        var doc = new Document
        {
            new StringField(Reference, a.Reference, Field.Store.YES),
            new StoredField(Id, a.Id),
            new StoredField(Updated, a.UpdatedAt.UtcTicks),
            new TextField(Title, a.Title, Field.Store.YES),
            new TextField(Record, string.Join('\n', RecordWords(a)), Field.Store.NO),
        };
        foreach (var label in LabelsOf(a)) doc.Add(new StringField(Label, label, Field.Store.YES));
        doc.Add(new SortedDocValuesField(SortTitle, new Lucene.Net.Util.BytesRef(a.Title.ToLowerInvariant())));
        doc.Add(new NumericDocValuesField(SortReview, a.ReviewDate?.DayNumber ?? int.MaxValue));
        doc.Add(new NumericDocValuesField(SortId, a.Id));
        var organisationTypes = a.Parties.Where(p => p.Organisation is not null).Select(p => p.Organisation!)
            .Append(a.LeadOrganisation).OfType<Organisations.Organisation>().DistinctBy(o => o.Id).ToDictionary(o => o.Id, o => o.Type);
        SearchFacets.AddTo(doc, a, organisationTypes);
        foreach (var (file, version) in Latest(a))
        {
            if (!texts.TryGetValue(version.Sha256, out var text)) continue;
            var field = file.Visibility switch { Visibility.Partners => PartnersText, Visibility.PartiesOnly => PartiesText, _ => Text };
            doc.Add(new Field(field, text, TextWithOffsets));
            doc.Add(new StoredField(Part, $"{field}\t{version.Sha256}\t{text.Length}"));
        }
        return doc;
    }

    /// <summary>The record's words beyond the title: what officers search for besides the documents.</summary>
    static IEnumerable<string?> RecordWords(Agreement a) =>
        new[] { a.Purpose, a.Benefits, a.Description, a.LeadOrganisation?.Name, a.LeadOrganisation?.ShortName, a.SpecialCategoryCondition, a.TemplateReference }
            .Concat(a.Parties.SelectMany(p => new[] { p.Organisation?.Name, p.Organisation?.ShortName }))
            .Concat(a.LegalPowers)
            .Concat(a.DataFlows.Select(f => f.DataItems))
            .Concat(a.Themes.Select(t => t.Describe()))
            .Where(w => !string.IsNullOrWhiteSpace(w));
}
