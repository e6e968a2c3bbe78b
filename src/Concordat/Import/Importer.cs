using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Concordat.Import;

public enum RowOutcome { Create, Update, Unchanged, Invalid, Created, Updated, Failed }

/// <summary>One file a row names: its kind, the path as written, and where it is.</summary>
public sealed record ManifestFile(FileKind Kind, string Written, string FullPath);

/// <summary>What an import will do (or did) with one row, and why.</summary>
public sealed class RowPlan
{
    public required int Line { get; init; }
    public string Title { get; init; } = "";
    public string? ImportKey { get; set; }
    public AgreementInput Input { get; set; } = new();
    public List<ManifestFile> Files { get; } = [];
    public int? ExistingId { get; set; }
    public string? Reference { get; set; }
    /// <summary>The agreement the row created or updated, once imported.</summary>
    public int? AgreementId { get; set; }
    /// <summary>How many empty fields of the imported record its files' text has suggestions for (shown on its page).</summary>
    public int Suggestions { get; set; }
    public RowOutcome Outcome { get; set; }
    /// <summary>Errors stop the row; warnings (a record left as a draft, say) do not.</summary>
    public List<ManifestProblem> Problems { get; } = [];
    public bool Published { get; set; }
    /// <summary>Names of organisations nobody knows, by column: said once for the whole manifest (<see cref="Importer"/>).</summary>
    public List<(string Column, string Written)> UnknownOrganisations { get; } = [];
    /// <summary>The manifest columns an update changes, for the report.</summary>
    public List<string> Changes { get; set; } = [];
    public Dictionary<string, string> UnknownHint { get; } = [];
}

public sealed record ImportOptions(bool DryRun = false, bool AsDraft = false, bool AddOrganisations = false);

/// <summary>The result of checking or running an import: problems with the manifest as a whole, each row's plan, organisations added.</summary>
public sealed record ImportReport(IReadOnlyList<ManifestProblem> ManifestProblems, IReadOnlyList<RowPlan> Rows, IReadOnlyList<string> AddedOrganisations,
    IReadOnlyList<string> UnusedFiles)
{
    public bool CanRun => !ManifestProblems.Any(p => !p.IsWarning);
    public int Count(params RowOutcome[] outcomes) => Rows.Count(r => outcomes.Contains(r.Outcome));
}

/// <summary>
/// Brings a folder of existing agreements in from a CSV manifest; the command line and the import page both use it.
/// First every row is checked (organisations, values, files, duplicates) and planned: create, update or leave alone.
/// Then each valid row is applied in its own transaction through the same commands as the pages (AgreementCommands,
/// FileUploader), so an agreement's record and files land together or not at all, and running the same manifest again
/// changes nothing. Cells left empty never clear what the register already holds.
/// </summary>
public sealed class Importer(ConcordatDb db, AgreementCommands commands, FileUploader uploader, Documents.FileTypeDetector detector, TimeProvider clock,
    ILogger<Importer> logger)
{
    public async Task<ImportReport> RunAsync(byte[] manifest, string folder, Viewer viewer, ImportOptions options,
        IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var (rows, manifestProblems) = ManifestReader.Read(manifest);
        var root = Path.GetFullPath(folder);
        var matcher = new OrganisationMatcher(await db.Organisations.AsNoTracking().ToListAsync(ct));
        var added = new List<NewOrganisation>();
        var plans = await PlanAllAsync(rows, root, viewer, matcher, options, added, ct);
        var unused = UnusedFiles(root, plans);
        if (!manifestProblems.Any(p => !p.IsWarning) && !options.DryRun)
        {
            if (added.Count > 0)
            {
                // Add the organisations nobody knew, then plan again so every row has their ids.
                await AddOrganisationsAsync(matcher, added, viewer, ct);
                plans = await PlanAllAsync(rows, root, viewer, matcher, options, [], ct);
            }
            var runnable = plans.Where(p => p.Outcome is RowOutcome.Create or RowOutcome.Update).ToList();
            var done = 0;
            foreach (var plan in runnable)
            {
                await ApplyAsync(plan, viewer, options, ct);
                progress?.Report((++done, runnable.Count));
            }
        }
        return new ImportReport(manifestProblems, plans, added.Select(a => $"{a.Name} ({a.Type.Describe().ToLowerInvariant()}; rows {Rows(a.Rows)})").ToList(), unused);
    }

    // ---- Checking and planning ----

    HashSet<int> _organisationIds = [];

    async Task<List<RowPlan>> PlanAllAsync(IReadOnlyList<ManifestRow> rows, string root, Viewer viewer, OrganisationMatcher matcher, ImportOptions options,
        List<NewOrganisation> added, CancellationToken ct)
    {
        _organisationIds = (await db.Organisations.Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        var plans = new List<RowPlan>();
        foreach (var row in rows) plans.Add(await PlanAsync(row, root, viewer, matcher, options, added, ct));
        MarkDuplicates(plans);
        SayEachUnknownNameOnce(plans);
        return plans;
    }

    /// <summary>An organisation the import will add: its name as first written, its type, and the rows that name it.</summary>
    sealed record NewOrganisation(string Name, OrganisationType Type, List<int> Rows)
    {
        /// <summary>Stands for its id until it exists, so a dry run checks the rows as the real run will.</summary>
        public int PlaceholderId { get; init; }
    }

    static string Rows(IEnumerable<int> rows)
    {
        var list = rows.Distinct().Order().ToList();
        return list.Count <= 10 ? string.Join(", ", list) : $"{string.Join(", ", list.Take(10))} and {list.Count - 10} more";
    }

    /// <summary>
    /// One name nobody knows, written in many rows, is one mistake: it is said once, on the first row that names it, with
    /// every row it affects (those rows are still not imported).
    /// </summary>
    static void SayEachUnknownNameOnce(List<RowPlan> plans)
    {
        var unknown = plans.SelectMany(p => p.UnknownOrganisations.Select(u => (Plan: p, u.Column, u.Written))).GroupBy(u => OrganisationMatcher.Variant(u.Written));
        foreach (var name in unknown)
        {
            var first = name.First();
            first.Plan.Problems.Add(new(first.Plan.Line, first.Column, $"No organisation in the registry is called \"{first.Written}\"" +
                (name.Select(n => n.Plan.Line).Distinct().Count() > 1 ? $" (rows {Rows(name.Select(n => n.Plan.Line))})" : "") + ". " + first.Plan.UnknownHint[first.Written],
                Title: first.Plan.Title));
        }
    }

    async Task<RowPlan> PlanAsync(ManifestRow row, string root, Viewer viewer, OrganisationMatcher matcher, ImportOptions options, List<NewOrganisation> added,
        CancellationToken ct)
    {
        var plan = new RowPlan { Line = row.Line, Title = row["title"] ?? "" };
        void Error(string column, string message) => plan.Problems.Add(new(row.Line, column, message, Title: plan.Title));
        var types = NewOrganisationTypes(row["organisation_type"], Error);

        int? Organisation(string column, string written)
        {
            if (matcher.Find(written) is { } found) return found.Id;
            if (options.AddOrganisations && viewer.IsFrameworkAdministrator)
            {
                // One organisation however its name is cased or punctuated ("MONITOR", "Monitor").
                var variant = OrganisationMatcher.Variant(written);
                var adding = added.FirstOrDefault(a => OrganisationMatcher.Variant(a.Name) == variant);
                if (adding is null)
                {
                    var type = types.GetValueOrDefault(variant, types.GetValueOrDefault("", OrganisationType.OtherPublicBody));
                    added.Add(adding = new NewOrganisation(written.Trim(), type, []) { PlaceholderId = -1 - added.Count });
                }
                adding.Rows.Add(row.Line);
                _organisationIds.Add(adding.PlaceholderId);
                return adding.PlaceholderId;
            }
            plan.UnknownOrganisations.Add((column, written));
            plan.UnknownHint[written] = $"Did you mean {string.Join(", ", matcher.Closest(written).Select(n => $"\"{n}\""))}?" +
                (viewer.IsFrameworkAdministrator ? " A framework administrator can let the import add it." : "");
            return null;
        }

        // Which agreement this row is: a register reference, or the lead's own reference, or the title.
        var leadWritten = row["lead_organisation"];
        var leadId = leadWritten is null ? null : Organisation("lead_organisation", leadWritten);
        if (leadWritten is null) Error("lead_organisation", "Name the lead organisation.");
        if (row["title"] is null) Error("title", "Give the agreement's title.");
        var key = row["local_reference"] ?? (row["title"] is { } t ? "title:" + ManifestColumns.Slug(t) : null);
        plan.ImportKey = key?.Length > 200 ? key[..200] : key;
        Agreement? existing = null;
        // What ToInput needs to reproduce the record, so the row is laid over the whole of it.
        var records = db.Agreements.AsNoTracking().AsSplitQuery().Include(a => a.Parties).Include(a => a.DataFlows).Include(a => a.Supersedes);
        if (row["reference"] is { } reference)
        {
            existing = await records.VisibleTo(viewer).SingleOrDefaultAsync(a => a.Reference == reference.ToUpperInvariant(), ct);
            if (existing is null) Error("reference", $"No agreement {reference} that you can see is in the register. Leave reference empty to add a new one.");
        }
        else if (leadId is not null && plan.ImportKey is not null)
        {
            existing = await records.SingleOrDefaultAsync(a => a.LeadOrganisationId == leadId && a.ImportKey == plan.ImportKey, ct);
        }
        // An import lays whole records over what is there, so it changes only agreements the person may change everything of.
        if (existing is not null && !(AgreementAccess.MayChangeEverything(viewer, existing.LeadOrganisationId)
                                      && await db.Agreements.EditableBy(viewer).AnyAsync(a => a.Id == existing.Id, ct)))
            Error("reference", $"{existing.Reference} is already in the register and you cannot import over it: ask an editor of its lead organisation.");
        plan.ExistingId = existing?.Id;
        plan.Reference = existing?.Reference;

        // The record: what the register holds, with every cell the row fills laid over it.
        var input = existing?.ToInput() ?? new AgreementInput { Visibility = "public" };
        var before = existing?.ToInput() ?? new AgreementInput { Visibility = "public" };
        if (row["title"] is { } title) input.Title = title;
        if (leadId is not null) input.LeadOrganisationId = leadId;
        if (row["agreement_type"] is { } type) input.AgreementType = ManifestColumns.Slug(type).Replace("-agreement", "").Replace("-or-memorandum", "");
        if (row["status"] is { } status) input.Status = ManifestColumns.Slug(status);
        if (row["purpose"] is { } purpose) input.Purpose = purpose;
        if (row["benefits"] is { } benefits) input.Benefits = benefits;
        if (row["description"] is { } description) input.Description = description;
        if (input.Purpose is { } full && (Words(full) > AgreementLimits.PurposeWords || full.Length > AgreementLimits.LongText)
            && (input.Description is null || input.Description == full))
        {
            // Real purpose statements run to a thousand words: all of it is kept, and its opening stands as the purpose in lists.
            input.Description = full;
            input.Purpose = Opening(full);
            plan.Problems.Add(new(row.Line, "purpose", $"The purpose has {Words(full):N0} words: all of it is kept as the full description, and its first " +
                $"sentences ({Words(input.Purpose)} words) as the purpose.", IsWarning: true, Title: plan.Title));
        }
        if (row["parties"] is { } parties)
            input.Parties = ManifestColumns.Split(parties).Select(p =>
            {
                var (name, role) = Bracketed(p);
                return new PartyInput { OrganisationId = Organisation("parties", name), Role = role is null ? null : ManifestColumns.Slug(role) };
            }).ToList();
        if (row["data_flows"] is { } flows) input.DataFlows = ManifestColumns.Split(flows).Select(f => Flow(f, Organisation, Error)).OfType<DataFlowInput>().ToList();
        if (row["data_subjects"] is { } subjects) input.DataSubjects = ManifestColumns.Split(subjects).Select(ManifestColumns.Slug).ToList();
        if (row["sensitivity"] is { } sensitivity) input.Sensitivity = ManifestColumns.Split(sensitivity).Select(ManifestColumns.Slug).ToList();
        if (row["lawful_basis"] is { } bases) input.LawfulBasis = ManifestColumns.Split(bases).Select(ManifestColumns.Slug).ToList();
        if (row["special_category_condition"] is { } condition) input.SpecialCategoryCondition = condition;
        if (row["legal_powers"] is { } powers) input.LegalPowers = ManifestColumns.Split(powers).ToList();
        if (row["geography"] is { } geography)
        {
            var places = ManifestColumns.Split(geography).ToList();
            input.PanLondon = places.Any(p => ManifestColumns.Slug(p) == "pan-london");
            input.Boroughs = places.Where(p => ManifestColumns.Slug(p) != "pan-london").Select(p => Borough(p) ?? p).ToList();
        }
        if (row["themes"] is { } themes) input.Themes = ManifestColumns.Split(themes).Select(ManifestColumns.Slug).ToList();
        if (row["dpia"] is { } dpia) input.Dpia = ManifestColumns.Slug(dpia);
        if (row["start_date"] is { } start) input.StartDate = IsoDate(start);
        if (row["review_date"] is { } review) input.ReviewDate = IsoDate(review);
        if (row["end_date"] is { } end) input.EndDate = IsoDate(end);
        if (row["version"] is { } version) input.Version = version;
        if (row["supersedes"] is { } supersedes) input.Supersedes = supersedes;
        if (row["visibility"] is { } visibility) input.Visibility = ManifestColumns.Slug(visibility);
        if (row["contact_email"] is { } contact) input.ContactEmail = contact;
        plan.Input = input;
        if (existing is not null)
            foreach (var (column, was, now) in LostCharacters(existing.ToInput(), input))
                Error(column, $"The manifest has \"{now}\" where the register has \"{was}\": characters were lost when the file was saved in an encoding " +
                    "that cannot hold them (Excel's \"CSV\" replaces them with \"?\"). Nothing of this row was changed: save the manifest as \"CSV UTF-8\" and import it again.");

        // The same checks the edit page makes, on a scratch record, so every mistake is named before anything is written.
        var scratch = new Agreement { Title = "" };
        foreach (var (field, messages) in AgreementEditor.Apply(input, scratch, _organisationIds, r => r.Equals(existing?.Supersedes?.Reference, StringComparison.OrdinalIgnoreCase) ? existing!.SupersedesId : null))
            foreach (var message in messages)
                // A name nobody knows is said once for the manifest, not again here as a missing organisation.
                if (field != "supersedes" && !(plan.UnknownOrganisations.Count > 0 && field.Contains("rganisation", StringComparison.Ordinal)))
                    Error(ColumnOf(field), message);
        if (existing is null && leadId is not null && !AgreementAccess.MayLeadFor(viewer, leadId.Value))
            Error("lead_organisation", "You can only import agreements that an organisation you are an editor for leads.");

        PlanFiles(row, root, plan, Error);
        if (plan.Problems.Any(p => !p.IsWarning) || plan.UnknownOrganisations.Count > 0)
        {
            plan.Outcome = RowOutcome.Invalid;
            return plan;
        }
        // The scratch record has no files yet: the agreement document the row names counts as uploaded.
        var missing = AgreementEditor.CheckPublishable(scratch).Where(m => !(m.Key == "files" && plan.Files.Any(f => f.Kind == FileKind.Agreement))).ToList();
        if (!options.AsDraft && missing.Count > 0 && existing?.PublishedAt is null)
            plan.Problems.Add(new(row.Line, null, "Imported as a draft until it is complete: " + string.Join(" ", missing.SelectMany(m => m.Value)), IsWarning: true, Title: plan.Title));
        // A record that stays unpublished is a draft, whatever status the row gives it ("active" in an old register).
        if ((options.AsDraft || missing.Count > 0) && existing?.PublishedAt is null
            && EnumSlug<AgreementStatus>.TryParse(input.Status, out var given) && given.NeedsPublication())
            input.Status = AgreementStatus.Draft.Slug();
        plan.Changes = [.. AgreementInputComparison.ChangedFields(before, input).Select(f => ColumnOf(AgreementInputComparison.JsonName(f))).Distinct()];
        if (existing is not null && await FilesChangedAsync(existing.Id, plan, ct)) plan.Changes.Add("files");
        plan.Outcome = existing is null ? RowOutcome.Create : plan.Changes.Count > 0 ? RowOutcome.Update : RowOutcome.Unchanged;
        return plan;
    }

    static (string Name, string? Inside) Bracketed(string text)
    {
        var open = text.LastIndexOf('(');
        return open > 0 && text.TrimEnd().EndsWith(')') ? (text[..open].Trim(), text[(open + 1)..text.LastIndexOf(')')].Trim()) : (text.Trim(), null);
    }

    /// <summary>"Camden > LFB: names, addresses (weekly)"</summary>
    static DataFlowInput? Flow(string text, Func<string, string, int?> organisation, Action<string, string> error)
    {
        var colon = text.IndexOf(':');
        var arrow = text.IndexOf('>');
        if (arrow < 0 || colon < arrow)
        {
            error("data_flows", $"\"{text}\" is not a flow: write from > to: data items (frequency).");
            return null;
        }
        var (items, frequency) = Bracketed(text[(colon + 1)..]);
        return new DataFlowInput
        {
            FromOrganisationId = organisation("data_flows", text[..arrow].Trim()),
            ToOrganisationId = organisation("data_flows", text[(arrow + 1)..colon].Trim()),
            DataItems = items,
            Frequency = frequency is null ? null : ManifestColumns.Slug(frequency),
        };
    }

    static string? Borough(string written) =>
        RegionSeed.Boroughs.Where(b => b.GssCode.Equals(written, StringComparison.OrdinalIgnoreCase)
                || ManifestColumns.Slug(b.Borough) == ManifestColumns.Slug(written.Replace("London Borough of ", "", StringComparison.OrdinalIgnoreCase)))
            .Select(b => b.GssCode).FirstOrDefault();

    /// <summary>ISO dates as they are; UK day/month/year dates turned into ISO; anything else left for the record's own check to name.</summary>
    static string IsoDate(string written) =>
        DateOnly.TryParseExact(written, ["d/M/yyyy", "dd/MM/yyyy", "d.M.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : written;

    static string ColumnOf(string field)
    {
        var name = field.Split('[', '.')[0];
        return name switch
        {
            "leadOrganisationId" => "lead_organisation",
            "parties" => "parties",
            "dataFlows" => "data_flows",
            "boroughs" or "panLondon" => "geography",
            "lawfulBasis" => "lawful_basis",
            _ => JsonNamingPolicy.SnakeCaseLower.ConvertName(name),
        };
    }

    /// <summary>Each path must name a file inside the import folder, of a type Concordat reads, within the size limit.</summary>
    void PlanFiles(ManifestRow row, string root, RowPlan plan, Action<string, string> error)
    {
        var entries = ManifestColumns.Split(row["files"]).ToList();
        if (entries.Count == 0)
        {
            // A row that updates an agreement already in the register (an export imported again) may leave its files as they are.
            if (plan.ExistingId is null) error("files", "Name at least one file: the agreement itself.");
            return;
        }
        foreach (var (entry, i) in entries.Select((e, i) => (e, i)))
        {
            var kind = i == 0 ? FileKind.Agreement : FileKind.Appendix;
            var path = entry;
            var colon = entry.IndexOf(':');
            if (colon > 0 && EnumSlug<FileKind>.TryParse(ManifestColumns.Slug(entry[..colon]), out var named))
                (kind, path) = (named, entry[(colon + 1)..].Trim());
            var full = Path.GetFullPath(Path.Combine(root, path.Replace('\\', '/')));
            if (Path.IsPathRooted(path) || !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                error("files", $"\"{path}\" is outside the import folder. Paths are relative to the folder the manifest is in.");
                continue;
            }
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                error("files", $"There is no file \"{path}\" in the import folder.");
                continue;
            }
            // A link inside the folder may point outside it.
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                && !Path.GetFullPath(target.FullName).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                error("files", $"\"{path}\" is a link to a file outside the import folder.");
                continue;
            }
            if (info.Length > uploader.MaxBytes)
            {
                error("files", $"\"{path}\" is {info.Length / (1024 * 1024)} MB; files must be smaller than {uploader.MaxBytes / (1024 * 1024)} MB.");
                continue;
            }
            try
            {
                detector.Detect(full, Path.GetFileName(full));
            }
            catch (Exception e) when (e is Documents.EmptyFileException or Documents.UnsupportedFileTypeException)
            {
                error("files", $"\"{path}\": {(e is Documents.EmptyFileException ? "the file is empty" : e.Message)}");
                continue;
            }
            plan.Files.Add(new ManifestFile(kind, path, full));
        }
    }

    static void MarkDuplicates(List<RowPlan> plans)
    {
        foreach (var group in plans.Where(p => p.ImportKey is not null).GroupBy(p => (p.Input.LeadOrganisationId, p.ImportKey)).Where(g => g.Count() > 1))
            foreach (var repeat in group.Skip(1))
            {
                repeat.Problems.Add(new(repeat.Line, repeat.ImportKey!.StartsWith("title:") ? "title" : "local_reference",
                    $"Row {group.First().Line} is the same agreement (same lead organisation and {(repeat.ImportKey.StartsWith("title:") ? "title" : "local reference")}). " +
                    "Give each agreement its own local_reference, or remove the repeat.", Title: repeat.Title));
                repeat.Outcome = RowOutcome.Invalid;
            }
    }

    static IReadOnlyList<string> UnusedFiles(string root, List<RowPlan> plans)
    {
        if (!Directory.Exists(root)) return [];
        var named = plans.SelectMany(p => p.Files).Select(f => f.FullPath).ToHashSet();
        var unused = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !named.Contains(f) && !f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(root, f)).Order().ToList();
        // The first 200 by name, and how many more: a long list is cut, never silently.
        return unused.Count <= 200 ? unused : [.. unused.Take(200), $"and {unused.Count - 200:N0} more files"];
    }

    /// <summary>Whether any file differs from what the agreement already holds (compared by content).</summary>
    async Task<bool> FilesChangedAsync(int agreementId, RowPlan plan, CancellationToken ct)
    {
        var held = await db.FileVersions.Where(v => v.File!.AgreementId == agreementId).Select(v => v.Sha256).ToListAsync(ct);
        foreach (var file in plan.Files)
            if (!held.Contains(await HashAsync(file.FullPath, ct))) return true;
        return false;
    }

    static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>The first sentences of a long statement, at most 100 words (cut at a word, with an ellipsis, when its first sentence is longer).</summary>
    static string Opening(string text)
    {
        const int MaxWords = 100;
        var firstParagraph = text.Split(["\n\n", "\r\n\r\n"], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.Trim().Length > 0)?.Trim() ?? text.Trim();
        var sentences = System.Text.RegularExpressions.Regex.Split(firstParagraph, @"(?<=[.!?])\s+");
        var kept = new List<string>();
        foreach (var sentence in sentences)
        {
            if (Words(string.Join(' ', kept.Append(sentence))) > MaxWords) break;
            kept.Add(sentence);
        }
        return kept.Count > 0 ? string.Join(' ', kept)
            : string.Join(' ', firstParagraph.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(MaxWords)) + "…";
    }

    /// <summary>
    /// Text the manifest holds with "?" where the register holds another character: what saving a spreadsheet in an
    /// encoding that cannot hold that character does. Each such field, with the register's and the manifest's value.
    /// </summary>
    static IEnumerable<(string Column, string Was, string Now)> LostCharacters(AgreementInput stored, AgreementInput row)
    {
        foreach (var property in typeof(AgreementInput).GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            if (property.GetValue(stored) is not string was || property.GetValue(row) is not string now || was == now || !now.Contains('?')) continue;
            var pattern = "^" + string.Join("[^\\x00-\\x7F]{1,2}", now.Split('?').Select(System.Text.RegularExpressions.Regex.Escape)) + "$";
            if (System.Text.RegularExpressions.Regex.IsMatch(was, pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
                yield return (ColumnOf(AgreementInputComparison.JsonName(property.Name)), Shorten(was), Shorten(now));
        }

        static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
    }


    async Task AddOrganisationsAsync(OrganisationMatcher matcher, List<NewOrganisation> added, Viewer viewer, CancellationToken ct)
    {
        foreach (var (name, type, rows) in added)
        {
            var organisation = new Organisation { Name = name, Type = type };
            db.Organisations.Add(organisation);
            Audit.AuditTrail.Record(db, viewer.Actor, "organisation.created", $"organisation:{name}", new { name, type = type.Slug(), by = "import", rows }, clock);
            await db.SaveChangesAsync(ct);
            matcher.Add(organisation);
        }
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The organisation_type cell: one type for every organisation the row adds, or "Name: type" pairs separated by "; ".
    /// Keyed by the name's <see cref="OrganisationMatcher.Variant"/>; "" for the row's one type.
    /// </summary>
    static Dictionary<string, OrganisationType> NewOrganisationTypes(string? cell, Action<string, string> error)
    {
        var types = new Dictionary<string, OrganisationType>();
        foreach (var item in ManifestColumns.Split(cell))
        {
            var colon = item.LastIndexOf(':');
            var (name, written) = colon < 0 ? ("", item) : (OrganisationMatcher.Variant(item[..colon]), item[(colon + 1)..].Trim());
            if (EnumSlug<OrganisationType>.TryParse(ManifestColumns.Slug(written), out var type)) types[name] = type;
            else error("organisation_type", $"\"{written}\" is not a kind of organisation. Use one of: {string.Join(", ", EnumSlug<OrganisationType>.All)}");
        }
        return types;
    }

    // ---- Applying ----

    async Task ApplyAsync(RowPlan plan, Viewer viewer, ImportOptions options, CancellationToken ct)
    {
        var prepared = new List<(ManifestFile File, PreparedUpload Ready)>();
        IDbContextTransaction? transaction = null;
        Agreement? saved = null;
        try
        {
            // Every new file is read (staged, detected, its text extracted, OCR included) before the row's transaction
            // begins, so the database's write lock, which every other writer on every node waits for, is held only for
            // the saves. One that cannot be read stops the row with nothing written and no blob committed.
            var stored = plan.ExistingId is not { } existing ? []
                : (await db.FileVersions.AsNoTracking().Where(v => v.File!.AgreementId == existing).Select(v => v.Sha256).ToListAsync(ct)).ToHashSet();
            foreach (var file in plan.Files)
            {
                if (stored.Contains(await HashAsync(file.FullPath, ct))) continue;
                await using var content = File.OpenRead(file.FullPath);
                var (ready, failure) = await uploader.PrepareAsync(content, Path.GetFileName(file.FullPath), ct);
                if (ready is null) throw new ImportRowException($"{file.Written}: {failure!.Title}. {failure.Detail}");
                prepared.Add((file, ready));
            }

            transaction = await db.Database.BeginTransactionAsync(ct);
            Agreement agreement;
            if (plan.ExistingId is null)
            {
                var (created, errors) = await commands.CreateAsync(plan.Input, viewer, ct);
                if (created is null) throw new ImportRowException(errors.SelectMany(e => e.Value).FirstOrDefault() ?? "The record was refused.");
                agreement = created;
                agreement.ImportKey = plan.ImportKey;
                await db.SaveChangesAsync(ct);
            }
            else
            {
                agreement = await RegisterQuery.FindForEditAsync(db, viewer, plan.ExistingId.Value, ct)
                    ?? throw new ImportRowException("The agreement can no longer be changed by you.");
                var result = await commands.UpdateAsync(agreement, plan.Input, viewer, ct);
                if (!result.Saved) throw new ImportRowException(result.Errors.SelectMany(e => e.Value).First());
                agreement.ImportKey ??= plan.ImportKey;
                await db.SaveChangesAsync(ct);
            }

            var withFiles = await db.Agreements.AsSplitQuery().Include(a => a.Files).ThenInclude(f => f.Versions).SingleAsync(a => a.Id == agreement.Id, ct);
            foreach (var (file, ready) in prepared)
            {
                if (withFiles.Files.Any(f => f.Versions.Any(v => v.Sha256 == ready.Staged.Sha256))) continue; // saved since it was read
                var name = Path.GetFileName(file.FullPath);
                var same = withFiles.Files.FirstOrDefault(f => f.Kind == file.Kind && f.Versions.Any(v => v.FileName == name));
                var (_, failure) = await uploader.SaveAsync(ready, withFiles, same, file.Kind, viewer.Actor, ct);
                if (failure is not null) throw new ImportRowException($"{file.Written}: {failure.Title}. {failure.Detail}");
            }

            if (!options.AsDraft && withFiles.PublishedAt is null && AgreementEditor.CheckPublishable(withFiles).Count == 0)
            {
                var errors = await commands.PublishAsync(withFiles, viewer, ct);
                if (errors.Count > 0) throw new ImportRowException(errors.SelectMany(e => e.Value).First());
            }
            await transaction.CommitAsync(ct);
            plan.Reference = withFiles.Reference;
            plan.AgreementId = withFiles.Id;
            plan.Published = withFiles.PublishedAt is not null;
            plan.Outcome = plan.ExistingId is null ? RowOutcome.Created : RowOutcome.Updated;
            Measurements.ImportRows.Add(1, Measurements.Outcome(plan.Outcome == RowOutcome.Created ? "created" : "updated"));
            saved = withFiles;
        }
        catch (Exception e) when (e is ImportRowException or DbUpdateException or IOException)
        {
            if (transaction is not null) await transaction.RollbackAsync(CancellationToken.None);
            plan.Outcome = RowOutcome.Failed;
            Measurements.ImportRows.Add(1, Measurements.Outcome("failed"));
            plan.Problems.Add(new(plan.Line, null, $"Not imported, nothing of it was saved: {e.Message}", Title: plan.Title));
            logger.LogWarning(e, "Import of line {Line} failed", plan.Line);
        }
        finally
        {
            foreach (var (_, ready) in prepared) await ready.DisposeAsync(); // deletes what was staged and not saved
            if (transaction is not null) await transaction.DisposeAsync();
        }
        if (saved is not null) plan.Suggestions = await CountSuggestionsAsync(saved, ct);
        db.ChangeTracker.Clear();
    }

    TextSuggestions? _suggestions;

    /// <summary>Suggestions are offered on the agreement's page, not applied: the import only says how many wait there.</summary>
    async Task<int> CountSuggestionsAsync(Agreement agreement, CancellationToken ct)
    {
        _suggestions ??= new TextSuggestions(await db.Organisations.AsNoTracking().ToListAsync(ct));
        var hashes = agreement.Files.Select(f => AgreementPageModel.Latest(f).Sha256).ToList();
        var texts = await db.FileTexts.AsNoTracking().Where(t => hashes.Contains(t.Sha256)).Select(t => t.Text).ToListAsync(ct);
        return _suggestions.For(agreement, texts).Select(s => s.Field).Distinct().Count();
    }

    sealed class ImportRowException(string message) : Exception(message);
}
