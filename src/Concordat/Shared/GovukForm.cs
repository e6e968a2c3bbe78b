using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Concordat.Shared;

/// <summary>
/// GOV.UK Frontend form fields, written once: each with its label, hint, error message and the
/// aria-describedby that ties them together, so every form page gets them right.
/// </summary>
public static class GovukForm
{
    public sealed record Option(string Value, string Text);

    static string E(string? s) => HtmlEncoder.Default.Encode(s ?? "");

    static string Group(string? error) => error is null ? "govuk-form-group" : "govuk-form-group govuk-form-group--error";

    static string Described(string id, string? hint, string? error)
    {
        var ids = new List<string>();
        if (hint is not null) ids.Add(id + "-hint");
        if (error is not null) ids.Add(id + "-error");
        return ids.Count == 0 ? "" : $" aria-describedby=\"{E(string.Join(' ', ids))}\"";
    }

    static void HintAndError(StringBuilder b, string id, string? hint, string? error)
    {
        if (hint is not null) b.Append($"<div id=\"{E(id)}-hint\" class=\"govuk-hint\">{E(hint)}</div>");
        if (error is not null) b.Append($"<p id=\"{E(id)}-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {E(error)}</p>");
    }

    public static IHtmlContent Input(string id, string name, string label, string? value, string? error = null, string? hint = null,
        string type = "text", string? width = null, string? autocomplete = null, bool labelIsHeading = false, string? inputmode = null, bool spellcheck = true)
    {
        var b = new StringBuilder($"<div class=\"{Group(error)}\">");
        b.Append($"<label class=\"govuk-label{(labelIsHeading ? " govuk-label--m" : " govuk-label--s")}\" for=\"{E(id)}\">{E(label)}</label>");
        HintAndError(b, id, hint, error);
        var classes = "govuk-input" + (width is null ? "" : " " + width) + (error is null ? "" : " govuk-input--error");
        b.Append($"<input class=\"{E(classes)}\" id=\"{E(id)}\" name=\"{E(name)}\" type=\"{E(type)}\" value=\"{E(value)}\"{Described(id, hint, error)}");
        if (autocomplete is not null) b.Append($" autocomplete=\"{E(autocomplete)}\"");
        if (inputmode is not null) b.Append($" inputmode=\"{E(inputmode)}\"");
        if (!spellcheck || type is "email" or "password") b.Append(" spellcheck=\"false\"");
        b.Append("></div>");
        return new HtmlString(b.ToString());
    }

    public static IHtmlContent Textarea(string id, string name, string label, string? value, string? error = null, string? hint = null, int rows = 5)
    {
        var b = new StringBuilder($"<div class=\"{Group(error)}\">");
        b.Append($"<label class=\"govuk-label govuk-label--s\" for=\"{E(id)}\">{E(label)}</label>");
        HintAndError(b, id, hint, error);
        b.Append($"<textarea class=\"govuk-textarea{(error is null ? "" : " govuk-textarea--error")}\" id=\"{E(id)}\" name=\"{E(name)}\" rows=\"{rows}\"{Described(id, hint, error)}>{E(value)}</textarea></div>");
        return new HtmlString(b.ToString());
    }

    public static IHtmlContent Select(string id, string name, string label, IEnumerable<Option> options, string? selected,
        string? error = null, string? hint = null, string blank = "Choose", bool visuallyHiddenLabel = false)
    {
        var b = new StringBuilder($"<div class=\"{Group(error)}\">");
        b.Append($"<label class=\"govuk-label govuk-label--s{(visuallyHiddenLabel ? " govuk-visually-hidden" : "")}\" for=\"{E(id)}\">{E(label)}</label>");
        HintAndError(b, id, hint, error);
        b.Append($"<select class=\"govuk-select{(error is null ? "" : " govuk-select--error")}\" id=\"{E(id)}\" name=\"{E(name)}\"{Described(id, hint, error)}>");
        b.Append($"<option value=\"\">{E(blank)}</option>");
        foreach (var o in options)
            b.Append($"<option value=\"{E(o.Value)}\"{(o.Value == selected ? " selected" : "")}>{E(o.Text)}</option>");
        b.Append("</select></div>");
        return new HtmlString(b.ToString());
    }

    public static IHtmlContent Radios(string id, string name, string legend, IEnumerable<Option> options, string? selected,
        string? error = null, string? hint = null, bool small = false) =>
        Choices("radio", id, name, legend, options, v => v == selected, error, hint, small);

    public static IHtmlContent Checkboxes(string id, string name, string legend, IEnumerable<Option> options, IEnumerable<string>? selected,
        string? error = null, string? hint = null, bool small = false)
    {
        var set = (selected ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Choices("checkbox", id, name, legend, options, set.Contains, error, hint, small);
    }

    static IHtmlContent Choices(string type, string id, string name, string legend, IEnumerable<Option> options, Func<string, bool> isChecked,
        string? error, string? hint, bool small)
    {
        var kind = type == "radio" ? "radios" : "checkboxes";
        var b = new StringBuilder($"<div class=\"{Group(error)}\"><fieldset class=\"govuk-fieldset\"{Described(id, hint, error)}>");
        b.Append($"<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{E(legend)}</legend>");
        HintAndError(b, id, hint, error);
        b.Append($"<div class=\"govuk-{E(kind)}{(small ? $" govuk-{E(kind)}--small" : "")}\" data-module=\"govuk-{E(kind)}\">");
        var i = 0;
        foreach (var o in options)
        {
            // The first option carries the group's id, so the error summary's link lands on it.
            var optionId = i++ == 0 ? id : $"{E(id)}-{i}";
            b.Append($"<div class=\"govuk-{E(kind)}__item\"><input class=\"govuk-{E(kind)}__input\" id=\"{E(optionId)}\" name=\"{E(name)}\" type=\"{E(type)}\" value=\"{E(o.Value)}\"{(isChecked(o.Value) ? " checked" : "")}>");
            b.Append($"<label class=\"govuk-label govuk-{E(kind)}__label\" for=\"{E(optionId)}\">{E(o.Text)}</label></div>");
        }
        b.Append("</div></fieldset></div>");
        return new HtmlString(b.ToString());
    }

    public static IHtmlContent DateInput(string id, string namePrefix, string legend, DateParts value, string? error = null,
        string hint = "For example, 27 3 2026")
    {
        var b = new StringBuilder($"<div class=\"{Group(error)}\"><fieldset class=\"govuk-fieldset\" role=\"group\"{Described(id, hint, error)}>");
        b.Append($"<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{E(legend)}</legend>");
        HintAndError(b, id, hint, error);
        b.Append("<div class=\"govuk-date-input\">");
        void Part(string part, string label, string? v, string width, string suffix)
        {
            var partId = part == "Day" ? id : $"{E(id)}-{suffix}";
            b.Append($"<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\"><label class=\"govuk-label govuk-date-input__label\" for=\"{E(partId)}\">{label}</label>");
            b.Append($"<input class=\"govuk-input govuk-date-input__input {E(width)}{(error is null ? "" : " govuk-input--error")}\" id=\"{E(partId)}\" name=\"{E(namePrefix)}.{part}\" type=\"text\" inputmode=\"numeric\" value=\"{E(v)}\"></div></div>");
        }
        Part("Day", "Day", value.Day, "govuk-input--width-2", "day");
        Part("Month", "Month", value.Month, "govuk-input--width-2", "month");
        Part("Year", "Year", value.Year, "govuk-input--width-4", "year");
        b.Append("</div></fieldset></div>");
        return new HtmlString(b.ToString());
    }

    public static IReadOnlyList<Option> OptionsOf<T>(Func<T, string> describe) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => new Option(EnumSlug<T>.Of(v), describe(v))).ToList();
}

/// <summary>The three boxes of a GOV.UK date input, turned to and from an ISO date string.</summary>
public sealed class DateParts
{
    public string? Day { get; set; }
    public string? Month { get; set; }
    public string? Year { get; set; }

    /// <summary>Null when all three are empty; otherwise an ISO date, or the raw text so validation reports it.</summary>
    public string? ToIso()
    {
        if (string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year)) return null;
        if (int.TryParse(Day, out var d) && int.TryParse(Month, out var m) && int.TryParse(Year, out var y)
            && y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
            return $"{y:0000}-{m:00}-{d:00}";
        return $"{Day}/{Month}/{Year}";
    }

    public static DateParts From(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", out var date)
            ? new DateParts { Day = date.Day.ToString(), Month = date.Month.ToString(), Year = date.Year.ToString() }
            : new DateParts();
}
