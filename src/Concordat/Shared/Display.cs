using System.Globalization;

namespace Concordat.Shared;

/// <summary>How values read on pages (GOV.UK style: 1 April 2026, 2.4 MB).</summary>
public static class Display
{
    // Invariant month names are English, which is what we want, and need no ICU data.
    static readonly CultureInfo UK = CultureInfo.InvariantCulture;

    public static string Date(DateOnly? date) => date?.ToString("d MMMM yyyy", UK) ?? "Not recorded";

    public static string Date(DateTimeOffset? when) => when?.ToString("d MMMM yyyy 'at' HH:mm", UK) ?? "Not recorded";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };
}

/// <summary>GOV.UK pagination: current page, page count and how to link to a page.</summary>
public sealed record Pagination(int Page, int PageCount, Func<int, string> Href)
{
    /// <summary>Pages to show: first, last and neighbours of the current page, with null for a gap.</summary>
    public IEnumerable<int?> Items()
    {
        int? last = null;
        for (var p = 1; p <= PageCount; p++)
        {
            if (p != 1 && p != PageCount && Math.Abs(p - Page) > 1) continue;
            if (last is int l && p - l > 1) yield return null;
            yield return p;
            last = p;
        }
    }
}
