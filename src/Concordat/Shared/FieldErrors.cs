namespace Concordat.Shared;

/// <summary>Field errors keyed by the input's camelCase path ("parties[1].role"), as the API reports them.</summary>
public sealed class FieldErrors : Dictionary<string, List<string>>
{
    public void Add(string field, string message)
    {
        if (!TryGetValue(field, out var list)) this[field] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> ToProblemErrors() => this.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}

/// <summary>A page that shows field errors in a GOV.UK error summary and beside each field.</summary>
public abstract class FormPage : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
{
    public FieldErrors Errors { get; } = new();

    /// <summary>The HTML id of the field an error key names: "parties[0].role" → "parties-0-role".</summary>
    public static string FieldId(string key) => key.Replace("].", "-").Replace("[", "-").Replace("]", "").Replace(".", "-");

    public string? ErrorFor(string key) => Errors.TryGetValue(key, out var messages) ? string.Join(". ", messages) : null;

    /// <summary>The error summary's links; <paramref name="page"/> when the fields are on another page.</summary>
    public IReadOnlyList<(string? Href, string Message)> SummaryLinkingTo(string page = "") =>
        Errors.SelectMany(kv => kv.Value.Select(m => ((string?)$"{page}#{Anchor(kv.Key)}", m))).ToList();

    public IReadOnlyList<(string? Href, string Message)> Summary => SummaryLinkingTo();

    /// <summary>Errors about the request rather than a field (page, sort): listed without links.</summary>
    public IReadOnlyList<(string? Href, string Message)> SummaryWithoutLinks =>
        Errors.SelectMany(kv => kv.Value.Select(m => ((string?)null, m))).ToList();

    /// <summary>Where the error summary's link for a key lands; a page may point a group's error at its first field.</summary>
    protected virtual string Anchor(string key) => FieldId(key);
}
