using Concordat.Search;

namespace Concordat.Tests.Search;

/// <summary>What officers type is read without training and never fails.</summary>
public sealed class QueryTextTests
{
    static string Describe(QueryText q) =>
        string.Join(" AND ", q.Required.Select(g => string.Join(" OR ", g.Select(Term))))
        + string.Concat(q.Excluded.Select(t => " NOT " + Term(t)));

    static string Term(QueryTerm t) => t.Kind switch { QueryTermKind.Phrase => $"\"{t.Text}\"", QueryTermKind.Prefix => t.Text + "*", _ => t.Text };

    [Theory]
    [InlineData("fire safety", "fire AND safety")]
    [InlineData("\"home fire safety\" visits", "\"home fire safety\" AND visits")]
    [InlineData("fire OR flood safety", "fire OR flood AND safety")]
    [InlineData("fire -hoarding", "fire NOT hoarding")]
    [InlineData("fire -\"smoke alarm\"", "fire NOT \"smoke alarm\"")]
    [InlineData("safeguard*", "safeguard*")]
    [InlineData("\"unbalanced phrase fire", "unbalanced AND phrase AND fire")]
    [InlineData("OR fire OR", "fire")]
    [InlineData("- * -- \"\" fire", "fire")]
    [InlineData("a* fire", "a AND fire")]
    public void A_query_is_read_as_words_phrases_alternatives_exclusions_and_prefixes(string typed, string read) =>
        Assert.Equal(read, Describe(QueryText.Parse(typed)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Nothing_typed_is_an_empty_query(string? typed) => Assert.True(QueryText.Parse(typed).IsEmpty);
}
