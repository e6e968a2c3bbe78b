using System.Text;
using System.Text.RegularExpressions;

namespace Concordat.Documents;

/// <summary>
/// Builds plain text from a stream of structure events (paragraphs, table rows and cells), shared by the
/// DOCX, ODT and HTML readers so all formats come out alike: one paragraph per line, one table row per
/// line with cells separated by " | ". Tolerates unbalanced events from malformed input.
/// </summary>
internal sealed partial class StructuredTextWriter
{
    private const string CellSeparator = " | ";
    private readonly StringBuilder _document = new();
    private readonly Stack<StringBuilder> _cells = new();
    private readonly Stack<List<string>> _rows = new();

    private StringBuilder Current => _cells.Count > 0 ? _cells.Peek() : _document;

    private bool InCell => _cells.Count > 0;

    public void Append(string text) => Current.Append(text);

    public void Append(char c) => Current.Append(c);

    /// <summary>Appends text whose whitespace is not significant (HTML, ODF), collapsing runs to one space.</summary>
    public void AppendCollapsed(string text)
    {
        var target = Current;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (target.Length > 0 && !char.IsWhiteSpace(target[^1]))
                {
                    target.Append(' ');
                }
            }
            else
            {
                target.Append(c);
            }
        }
    }

    /// <summary>Ends a paragraph: a new line in the body, a space inside a table cell.</summary>
    public void EndParagraph()
    {
        var target = Current;
        TrimTrailingSpaces(target);
        if (InCell)
        {
            if (target.Length > 0)
            {
                target.Append(' ');
            }
        }
        else if (target.Length > 0 && target[^1] != '\n')
        {
            target.Append('\n');
        }
    }

    /// <summary>A hard line break inside a paragraph.</summary>
    public void LineBreak()
    {
        var target = Current;
        TrimTrailingSpaces(target);
        target.Append(InCell ? ' ' : '\n');
    }

    /// <summary>A blank line, e.g. between headers, body and footers or between PDF pages.</summary>
    public void Section()
    {
        if (InCell)
        {
            return;
        }

        EndParagraph();
        if (_document.Length > 0 && !(_document.Length >= 2 && _document[^1] == '\n' && _document[^2] == '\n'))
        {
            _document.Append('\n');
        }
    }

    public void StartRow()
    {
        if (!InCell)
        {
            EndParagraph();
        }

        _rows.Push([]);
    }

    public void StartCell() => _cells.Push(new StringBuilder());

    public void EndCell()
    {
        if (_cells.Count == 0)
        {
            return;
        }

        var cell = Whitespace().Replace(_cells.Pop().ToString(), " ").Trim();
        if (_rows.Count > 0)
        {
            _rows.Peek().Add(cell);
        }
        else
        {
            Current.Append(cell).Append(' ');
        }
    }

    public void EndRow()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        var row = _rows.Pop();
        if (row.All(string.IsNullOrEmpty))
        {
            return;
        }

        var line = string.Join(CellSeparator, row);
        if (InCell)
        {
            // A nested table: keep it inside the outer cell.
            Current.Append(line).Append(' ');
        }
        else
        {
            EndParagraph();
            _document.Append(line).Append('\n');
        }
    }

    /// <summary>The finished text: trailing spaces removed, at most one blank line in a row.</summary>
    public override string ToString()
    {
        while (_cells.Count > 0 || _rows.Count > 0)
        {
            // Close anything a malformed document left open so its text is not lost.
            if (_cells.Count > 0) EndCell();
            else EndRow();
        }

        var text = TrailingSpaces().Replace(_document.ToString(), "");
        return ExtraBlankLines().Replace(text, "\n\n").Trim();
    }

    private static void TrimTrailingSpaces(StringBuilder target)
    {
        while (target.Length > 0 && target[^1] is ' ' or '\t')
        {
            target.Length--;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[ \t]+(?=\n)")]
    private static partial Regex TrailingSpaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();
}
