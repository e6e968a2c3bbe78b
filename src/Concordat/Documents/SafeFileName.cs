using System.Globalization;
using System.Text;

namespace Concordat.Documents;

/// <summary>
/// Turns a user-supplied file name into one safe to store, display and send back in a
/// Content-Disposition header.
/// </summary>
public static class SafeFileName
{
    public const int MaxLength = 150;
    private const string DefaultStem = "document";
    private const int MaxExtensionLength = 16;

    // Invalid on Windows as well as Unix, so a name is safe wherever it is later saved.
    private static readonly char[] InvalidChars = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

    private static readonly HashSet<string> ReservedWindowsNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// Cleans <paramref name="original"/>: keeps only the last path segment, drops control, bidi-override and
    /// invalid characters, collapses whitespace, trims dots and spaces, and truncates to
    /// <see cref="MaxLength"/> characters keeping the extension. A name without an extension gets
    /// <paramref name="fallbackExtension"/>; an unusable name becomes "document" + that extension.
    /// </summary>
    /// <param name="misleading">extensions that are replaced by <paramref name="fallbackExtension"/> (another format's)</param>
    public static string From(string? original, string fallbackExtension, IReadOnlySet<string>? misleading = null)
    {
        var extension = CleanExtension(fallbackExtension);
        var name = Clean(LastSegment(original ?? ""));

        if (name.Length == 0)
        {
            return DefaultStem + extension;
        }

        // Leading dots are already gone, so ".pdf" arrives here as the stem "pdf".
        var (stem, ext) = SplitExtension(name);
        if (ext.Length == 0 || misleading?.Contains(ext.ToLowerInvariant()) == true)
        {
            ext = extension;
        }

        if (ReservedWindowsNames.Contains(stem))
        {
            stem = "_" + stem;
        }

        stem = TruncateByTextElements(stem, MaxLength - ext.Length).TrimEnd('.', ' ');
        return (stem.Length == 0 ? DefaultStem : stem) + ext;
    }

    /// <summary>
    /// An ASCII-only version of a name from <see cref="From"/>, for the plain <c>filename=</c> parameter
    /// that old clients read instead of <c>filename*</c>. Accents are dropped, other characters become '_'.
    /// </summary>
    public static string ToAsciiFallback(string safeName)
    {
        var builder = new StringBuilder(safeName.Length);
        foreach (var c in safeName)
        {
            // Combining accents (a name typed decomposed) are dropped; the app runs without culture data, so
            // string.Normalize cannot decompose the precomposed letters for it, and a table does.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var letter = Unaccented.GetValueOrDefault(c, c);
            // '%' is excluded because some browsers percent-decode the plain filename parameter.
            builder.Append(letter is >= ' ' and <= '~' && letter is not ('%' or ';' or '\'' or '"' or '\\') ? letter : '_');
        }

        return builder.ToString();
    }

    /// <summary>The accented Latin letters of European names (Latin-1 and Latin Extended-A), each with its plain letter.</summary>
    private static readonly Dictionary<char, char> Unaccented = new[]
    {
        ("ÀÁÂÃÄÅĀĂĄ", 'A'), ("àáâãäåāăą", 'a'), ("ÇĆĈĊČ", 'C'), ("çćĉċč", 'c'), ("ĎĐ", 'D'), ("ďđ", 'd'),
        ("ÈÉÊËĒĔĖĘĚ", 'E'), ("èéêëēĕėęě", 'e'), ("ĜĞĠĢ", 'G'), ("ĝğġģ", 'g'), ("ĤĦ", 'H'), ("ĥħ", 'h'),
        ("ÌÍÎÏĨĪĬĮİ", 'I'), ("ìíîïĩīĭįı", 'i'), ("Ĵ", 'J'), ("ĵ", 'j'), ("Ķ", 'K'), ("ķ", 'k'), ("ĹĻĽĿŁ", 'L'), ("ĺļľŀł", 'l'),
        ("ÑŃŅŇ", 'N'), ("ñńņň", 'n'), ("ÒÓÔÕÖØŌŎŐ", 'O'), ("òóôõöøōŏő", 'o'), ("ŔŖŘ", 'R'), ("ŕŗř", 'r'),
        ("ŚŜŞŠ", 'S'), ("śŝşš", 's'), ("ŢŤŦ", 'T'), ("ţťŧ", 't'), ("ÙÚÛÜŨŪŬŮŰŲ", 'U'), ("ùúûüũūŭůűų", 'u'),
        ("Ŵ", 'W'), ("ŵ", 'w'), ("ÝŸŶ", 'Y'), ("ýÿŷ", 'y'), ("ŹŻŽ", 'Z'), ("źżž", 'z'),
    }.SelectMany(group => group.Item1.Select(c => (c, group.Item2))).ToDictionary(p => p.c, p => p.Item2);

    private static string LastSegment(string name)
    {
        var cut = name.LastIndexOfAny(['/', '\\']);
        return cut >= 0 ? name[(cut + 1)..] : name;
    }

    private static string Clean(string name)
    {
        var text = name.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // A complete pair (emoji and the like) is fine; keep both halves together.
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsWhiteSpace(c))
            {
                // Collapse any run of whitespace (tabs, newlines, NBSP...) to one space.
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || Array.IndexOf(InvalidChars, c) >= 0 ||
                     CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                // Format characters include right-to-left overrides used to disguise "fdp.exe" as "exe.pdf";
                // a lone surrogate is not valid text at all.
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim('.', ' ');
    }

    private static (string Stem, string Extension) SplitExtension(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot < 0 || name.Length - dot > MaxExtensionLength || name[(dot + 1)..].Contains(' '))
        {
            return (name, "");
        }

        return (name[..dot].TrimEnd('.', ' '), name[dot..]);
    }

    private static string CleanExtension(string extension)
    {
        var cleaned = Clean(extension ?? "").Replace(" ", "").TrimStart('.');
        if (cleaned.Length == 0)
        {
            return "";
        }

        return "." + (cleaned.Length > MaxExtensionLength - 1 ? cleaned[..(MaxExtensionLength - 1)] : cleaned);
    }

    /// <summary>Cuts to at most <paramref name="max"/> UTF-16 units without splitting a surrogate pair or combined character.</summary>
    private static string TruncateByTextElements(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var length = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            if (length + element.Length > max)
            {
                break;
            }

            length += element.Length;
        }

        return text[..length];
    }
}
