using System.Globalization;
using System.Net.Mail;
using Concordat.Organisations;
using Concordat.Shared;

namespace Concordat.Agreements;

/// <summary>
/// Checks an AgreementInput and copies it onto a record. Saving a draft needs only a title and a lead
/// organisation, so a legacy agreement is quick to add; everything DOMAIN.md marks mandatory is
/// enforced by <see cref="CheckPublishable"/> when the record is published.
/// </summary>
public static class AgreementEditor
{
    /// <param name="organisationIds">every organisation id that exists</param>
    /// <param name="findReference">resolves an agreement reference to its id, or null</param>
    public static FieldErrors Apply(AgreementInput input, Agreement target, IReadOnlySet<int> organisationIds, Func<string, int?> findReference)
    {
        var errors = new FieldErrors();

        var title = Clean(input.Title);
        if (title is null) errors.Add("title", "Enter a title");
        else if (title.Length > AgreementLimits.Title) errors.Add("title", $"Title must be {AgreementLimits.Title} characters or fewer");
        else target.Title = title;

        target.AgreementType = ParseOne<AgreementType>(input.AgreementType, "agreementType", "agreement type", errors);

        target.Purpose = Text(input.Purpose, "purpose", "Purpose", AgreementLimits.LongText, errors);
        if (target.Purpose is not null && WordCount(target.Purpose) > AgreementLimits.PurposeWords)
            errors.Add("purpose", $"Purpose must be {AgreementLimits.PurposeWords} words or fewer (it has {WordCount(target.Purpose)})");
        target.Benefits = Text(input.Benefits, "benefits", "Benefits", AgreementLimits.LongText, errors);
        target.Description = Text(input.Description, "description", "The full description", AgreementLimits.Description, errors);

        if (input.LeadOrganisationId is not int lead) errors.Add("leadOrganisationId", "Select the lead organisation");
        else if (!organisationIds.Contains(lead)) errors.Add("leadOrganisationId", $"Organisation {lead} is not in the registry");
        else target.LeadOrganisationId = lead;

        ApplyParties(input.Parties ?? [], target, organisationIds, errors);
        ApplyFlows(input.DataFlows ?? [], target, organisationIds, errors);

        target.DataSubjects = ParseMany<DataSubject>(input.DataSubjects, "dataSubjects", "data subject", errors);
        target.Sensitivities = ParseMany<Sensitivity>(input.Sensitivity, "sensitivity", "data sensitivity", errors);
        target.LawfulBases = ParseMany<LawfulBasis>(input.LawfulBasis, "lawfulBasis", "lawful basis", errors);
        target.SpecialCategoryCondition = Text(input.SpecialCategoryCondition, "specialCategoryCondition", "The Article 9 or 10 condition", AgreementLimits.ShortText, errors);

        var powers = (input.LegalPowers ?? []).Take(31).Select(Clean).OfType<string>().Distinct().ToList();
        if (powers.Count > 30 || powers.Any(p => p.Length > 300)) errors.Add("legalPowers", "List at most 30 legal powers of 300 characters or fewer each");
        else target.LegalPowers = powers;

        target.PanLondon = input.PanLondon ?? false;
        var boroughs = (input.Boroughs ?? []).Take(100).Select(Clean).OfType<string>().Distinct().ToList();
        var unknown = boroughs.Where(b => RegionSeed.BoroughName(b) is null).ToList();
        if (unknown.Count > 0) errors.Add("boroughs", $"Unknown borough GSS code: {string.Join(", ", unknown)}. Use E09000001 to E09000033");
        else target.BoroughCodes = boroughs;

        target.Themes = ParseMany<Theme>(input.Themes, "themes", "theme", errors);
        target.Dpia = ParseOne<DpiaStatus>(input.Dpia, "dpia", "DPIA status", errors);
        target.Status = ParseOne<AgreementStatus>(input.Status, "status", "status", errors) ?? target.Status;
        target.Visibility = ParseOne<Visibility>(input.Visibility, "visibility", "visibility", errors) ?? target.Visibility;

        target.StartDate = ParseDate(input.StartDate, "startDate", "Start date", errors);
        target.ReviewDate = ParseDate(input.ReviewDate, "reviewDate", "Review date", errors);
        target.EndDate = ParseDate(input.EndDate, "endDate", "End date", errors);
        if (target.StartDate is { } start)
        {
            if (target.ReviewDate < start) errors.Add("reviewDate", "Review date must be on or after the start date");
            if (target.EndDate < start) errors.Add("endDate", "End date must be on or after the start date");
        }

        target.VersionLabel = Text(input.Version, "version", "Version", 40, errors);

        var supersedes = Clean(input.Supersedes);
        if (supersedes is null) target.SupersedesId = null;
        else if (findReference(supersedes) is not int supersededId) errors.Add("supersedes", $"No agreement has the reference {supersedes}");
        else if (supersededId == target.Id) errors.Add("supersedes", "An agreement cannot supersede itself");
        else target.SupersedesId = supersededId;

        var contact = Clean(input.ContactEmail);
        if (contact is not null && !IsEmail(contact)) errors.Add("contactEmail", "Enter the contact mailbox as an email address, like information.governance@example.gov.uk");
        else target.ContactEmail = contact;

        return errors;
    }

    /// <summary>What DOMAIN.md requires before a record is published.</summary>
    public static FieldErrors CheckPublishable(Agreement a)
    {
        var errors = new FieldErrors();
        if (a.AgreementType is null) errors.Add("agreementType", "Select the agreement type");
        if (a.Purpose is null) errors.Add("purpose", "Enter the purpose of the sharing");
        if (a.Parties.Count == 0) errors.Add("parties", "Add the parties and their roles");
        else if (a.Parties.All(p => p.OrganisationId != a.LeadOrganisationId)) errors.Add("parties", "The lead organisation must be one of the parties");
        if (a.DataSubjects.Count == 0) errors.Add("dataSubjects", "Select the data subjects");
        if (a.Sensitivities.Count == 0) errors.Add("sensitivity", "Select the sensitivity of the data");
        var personal = a.Sensitivities.Any(s => s != Sensitivity.Anonymised);
        if (personal && a.LawfulBases.Count == 0) errors.Add("lawfulBasis", "Select the Article 6 lawful basis for sharing personal data");
        if (a.Sensitivities.Any(s => s is Sensitivity.SpecialCategory or Sensitivity.CriminalOffence) && a.SpecialCategoryCondition is null)
            errors.Add("specialCategoryCondition", "Enter the Article 9 or 10 condition, with its DPA 2018 Schedule 1 paragraph, for special category or criminal offence data");
        if (a.StartDate is null) errors.Add("startDate", "Enter the start date");
        if (a.ReviewDate is null) errors.Add("reviewDate", "Enter the review date");
        if (a.ContactEmail is null) errors.Add("contactEmail", "Enter a contact mailbox");
        if (!a.Files.Any(f => f.Kind == FileKind.Agreement && f.Versions.Count > 0))
            errors.Add("files", "Upload the agreement document");
        return errors;
    }

    static void ApplyParties(List<PartyInput> parties, Agreement target, IReadOnlySet<int> organisationIds, FieldErrors errors)
    {
        if (parties.Count > AgreementLimits.MaxParties) { errors.Add("parties", $"An agreement can have at most {AgreementLimits.MaxParties} parties"); return; }
        var result = new List<AgreementParty>();
        for (var i = 0; i < parties.Count; i++)
        {
            var p = parties[i];
            if (p is null) continue; // a JSON null is an empty row
            if (p.OrganisationId is null && string.IsNullOrWhiteSpace(p.Role)) continue; // an unused form row
            var key = $"parties[{i}]";
            if (p.OrganisationId is not int orgId) { errors.Add($"{key}.organisationId", $"Select the organisation for party {i + 1}"); continue; }
            if (!organisationIds.Contains(orgId)) { errors.Add($"{key}.organisationId", $"Organisation {orgId} is not in the registry"); continue; }
            if (result.Any(r => r.OrganisationId == orgId)) { errors.Add($"{key}.organisationId", $"Party {i + 1} is listed more than once"); continue; }
            if (ParseOne<PartyRole>(p.Role, $"{key}.role", "role", errors) is not PartyRole role)
            {
                if (string.IsNullOrWhiteSpace(p.Role)) errors.Add($"{key}.role", $"Select the role of party {i + 1}");
                continue;
            }
            // Keep the existing row for an unchanged party so its id is stable across edits.
            var existing = target.Parties.FirstOrDefault(x => x.OrganisationId == orgId);
            if (existing is not null) { existing.Role = role; result.Add(existing); }
            else result.Add(new AgreementParty { OrganisationId = orgId, Role = role });
        }
        target.Parties = result;
    }

    static void ApplyFlows(List<DataFlowInput> flows, Agreement target, IReadOnlySet<int> organisationIds, FieldErrors errors)
    {
        if (flows.Count > AgreementLimits.MaxFlows) { errors.Add("dataFlows", $"An agreement can have at most {AgreementLimits.MaxFlows} data flows"); return; }
        var result = new List<DataFlow>();
        for (var i = 0; i < flows.Count; i++)
        {
            var f = flows[i];
            if (f is null) continue;
            if (f.FromOrganisationId is null && f.ToOrganisationId is null && string.IsNullOrWhiteSpace(f.DataItems) && string.IsNullOrWhiteSpace(f.Frequency)) continue;
            var key = $"dataFlows[{i}]";
            var ok = true;
            var fromId = f.FromOrganisationId ?? 0;
            var toId = f.ToOrganisationId ?? 0;
            if (!organisationIds.Contains(fromId)) { errors.Add($"{key}.fromOrganisationId", $"Select the organisation data flow {i + 1} comes from"); ok = false; }
            if (!organisationIds.Contains(toId)) { errors.Add($"{key}.toOrganisationId", $"Select the organisation data flow {i + 1} goes to"); ok = false; }
            else if (toId == fromId) { errors.Add($"{key}.toOrganisationId", $"Data flow {i + 1} must go to a different organisation"); ok = false; }
            var items = Clean(f.DataItems);
            if (items is null) { errors.Add($"{key}.dataItems", $"Enter the data items in flow {i + 1}"); ok = false; }
            else if (items.Length > AgreementLimits.ShortText) { errors.Add($"{key}.dataItems", $"Data items must be {AgreementLimits.ShortText} characters or fewer"); ok = false; }
            var frequency = ParseOne<FlowFrequency>(f.Frequency, $"{key}.frequency", "frequency", errors);
            if (frequency is null) { if (string.IsNullOrWhiteSpace(f.Frequency)) errors.Add($"{key}.frequency", $"Select how often data flow {i + 1} happens"); ok = false; }
            if (ok) result.Add(new DataFlow { FromOrganisationId = fromId, ToOrganisationId = toId, DataItems = items!, Frequency = frequency!.Value });
        }
        target.DataFlows = result;
    }

    static T? ParseOne<T>(string? value, string field, string label, FieldErrors errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (EnumSlug<T>.TryParse(value, out var parsed)) return parsed;
        errors.Add(field, $"'{Shorten(value)}' is not a known {label}. Use one of: {string.Join(", ", EnumSlug<T>.All)}");
        return null;
    }

    static List<T> ParseMany<T>(List<string>? values, string field, string label, FieldErrors errors) where T : struct, Enum
    {
        var result = new List<T>();
        if (values?.Count > 100) { errors.Add(field, $"List at most 100 values for {label}"); return result; }
        foreach (var value in values ?? [])
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (ParseOne<T>(value, field, label, errors) is T parsed && !result.Contains(parsed)) result.Add(parsed);
        }
        return result;
    }

    static DateOnly? ParseDate(string? value, string field, string label, FieldErrors errors)
    {
        var text = Clean(value);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is >= 1990 and <= 2200) return date;
        errors.Add(field, $"{label} must be a real date (YYYY-MM-DD)");
        return null;
    }

    static string? Text(string? value, string field, string label, int max, FieldErrors errors)
    {
        var text = Clean(value);
        if (text is not null && text.Length > max) { errors.Add(field, $"{label} must be {max} characters or fewer"); return null; }
        return text;
    }

    /// <summary>Trims, drops control characters other than line breaks and tabs, and maps empty to null.</summary>
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var kept = new string(value.Where(c => !char.IsControl(c) || c is '\n' or '\r' or '\t').ToArray()).Trim();
        return kept.Length == 0 ? null : kept.Replace("\r\n", "\n");
    }

    static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    static bool IsEmail(string value) =>
        value.Length <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);
}
