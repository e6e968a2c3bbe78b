using System.Collections.Frozen;
using System.Text.Json;

namespace Concordat.Shared;

/// <summary>
/// The stable string form of an enum value ("public-task"), the same one the JSON API writes, used in
/// forms, query strings and error messages so that every way in accepts the same words.
/// </summary>
public static class EnumSlug<T> where T : struct, Enum
{
    static readonly FrozenDictionary<T, string> ToSlug =
        Enum.GetValues<T>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    static readonly FrozenDictionary<string, T> FromSlug =
        ToSlug.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> All => [.. ToSlug.Values];

    public static string Of(T value) => ToSlug[value];

    public static bool TryParse(string? slug, out T value) => FromSlug.TryGetValue(slug?.Trim() ?? "", out value);
}

public static class EnumSlugExtensions
{
    public static string Slug<T>(this T value) where T : struct, Enum => EnumSlug<T>.Of(value);
}
