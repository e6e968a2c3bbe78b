using System.Text;

namespace Concordat.Search;

/// <summary>One thing a person typed: a word, an "exact phrase" or a prefix*.</summary>
public sealed record QueryTerm(string Text, QueryTermKind Kind);

public enum QueryTermKind { Word, Phrase, Prefix }

/// <summary>Terms that must all match (each a group of alternatives joined by OR), and terms that must not.</summary>
public sealed record QueryText(IReadOnlyList<IReadOnlyList<QueryTerm>> Required, IReadOnlyList<QueryTerm> Excluded)
{
    public bool IsEmpty => Required.Count == 0 && Excluded.Count == 0;

    /// <summary>
    /// Reads what an officer types: plain words (all must match), "exact phrases", OR between
    /// alternatives, -excluded words and prefix*. Anything else (an unbalanced quote, a stray
    /// operator, punctuation) is read as plain words, so no query is ever an error.
    /// </summary>
    public static QueryText Parse(string? text)
    {
        var tokens = Tokenise(text ?? "");
        var required = new List<List<QueryTerm>>();
        var excluded = new List<QueryTerm>();
        var joinNext = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var (token, quoted, negative) = tokens[i];
            if (!quoted && !negative && token == "OR")
            {
                // OR joins what is either side of it; at the start or the end it is just a stray word.
                joinNext = required.Count > 0 && i < tokens.Count - 1;
                continue;
            }
            var term = quoted ? new QueryTerm(token, QueryTermKind.Phrase)
                : token.EndsWith('*') && token.TrimEnd('*').Length >= 2 ? new QueryTerm(token.TrimEnd('*'), QueryTermKind.Prefix)
                : new QueryTerm(token.Trim('*', '-'), QueryTermKind.Word);
            if (term.Text.Length == 0) continue;
            if (negative) excluded.Add(term);
            else if (joinNext) required[^1].Add(term);
            else required.Add([term]);
            joinNext = false;
        }
        return new QueryText(required, excluded);
    }

    /// <summary>Words and "quoted phrases" (a leading - stays with its word or phrase). An unclosed quote reads as words.</summary>
    static List<(string Token, bool Quoted, bool Negative)> Tokenise(string text)
    {
        var tokens = new List<(string, bool, bool)>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            var negative = text[i] == '-' && i + 1 < text.Length && text[i + 1] == '"';
            var start = negative ? i + 1 : i;
            if (text[start] == '"')
            {
                var close = text.IndexOf('"', start + 1);
                if (close > start)
                {
                    var phrase = text[(start + 1)..close].Trim();
                    if (phrase.Length > 0) tokens.Add((phrase, true, negative));
                    i = close + 1;
                    continue;
                }
                i = start + 1; // an unbalanced quote: the rest are plain words
                continue;
            }
            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"') word.Append(text[i++]);
            var w = word.ToString();
            var excluded = w.Length > 1 && w[0] == '-';
            tokens.Add((excluded ? w[1..] : w, false, excluded));
        }
        return tokens;
    }
}
