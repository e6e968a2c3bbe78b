using System.Text;

namespace Concordat.Import;

/// <summary>One problem with a manifest, where a person can find it: the line of the file (1 is the header) and the column.</summary>
/// <param name="Line">the spreadsheet row (the header is row 1), or 0 for the manifest as a whole</param>
/// <param name="Title">the row's agreement title, for a problem with a row</param>
public sealed record ManifestProblem(int Line, string? Column, string Message, bool IsWarning = false, string? Title = null)
{
    public override string ToString() =>
        $"{(Line <= 0 ? "manifest" : Title is null ? $"line {Line}" : $"row {Line}{(Title.Length > 0 ? $" \"{Title}\"" : "")}")}{(Column is null ? "" : $", {Column}")}: {Message}";
}

/// <summary>A data row: its row in the spreadsheet (the header is row 1, as Excel numbers them) and its cells by column name (lower case, trimmed).</summary>
public sealed record ManifestRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    public string? this[string column] => Cells.TryGetValue(column, out var value) && value.Length > 0 ? value : null;
}

/// <summary>
/// Reads a CSV manifest (RFC 4180: quoted cells may hold commas, quotes and line breaks). UTF-8 with or without a
/// byte-order mark is expected; a file that is not valid UTF-8 is read as Windows-1252, the encoding Excel on Windows
/// saves "CSV" in, with a warning, so £ signs and curly quotes survive. Problems with the file as a whole (not CSV,
/// a repeated or missing column) are returned instead of rows.
/// </summary>
public static class ManifestReader
{
    public const int MaxRows = 50_000;

    static ManifestReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (IReadOnlyList<ManifestRow> Rows, IReadOnlyList<ManifestProblem> Problems) Read(byte[] bytes)
    {
        var problems = new List<ManifestProblem>();
        if (bytes.Length == 0) return ([], [new(0, null, "The manifest is empty: it needs a header row and one row per agreement.")]);
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).IndexOf((byte)0) >= 0)
            return ([], [new(0, null, "The manifest is not a CSV file (it holds binary data). Save it from your spreadsheet as \"CSV UTF-8\".")]);

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.GetEncoding(1252).GetString(bytes);
            problems.Add(new(0, null, "The manifest is not UTF-8, so it was read as Windows-1252 (Excel's \"CSV\"). Check names with accents or symbols; " +
                "saving as \"CSV UTF-8\" avoids the guess.", IsWarning: true));
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];

        var records = Parse(text, out var unclosedQuoteLine);
        if (unclosedQuoteLine > 0)
            return ([], [.. problems, new(unclosedQuoteLine, null, "A quoted cell starting on this line is never closed: add the closing double quote.")]);
        if (records.Count == 0 || records[0].Cells.All(string.IsNullOrWhiteSpace))
            return ([], [.. problems, new(1, null, "The first line must be the header row naming the columns.")]);

        var header = records[0].Cells.Select(h => h.Trim().ToLowerInvariant().Replace(' ', '_')).ToList();
        foreach (var repeated in header.Where(h => h.Length > 0).GroupBy(h => h).Where(g => g.Count() > 1))
            problems.Add(new(1, repeated.Key, "This column appears more than once; keep one."));
        foreach (var required in ManifestColumns.Required.Where(r => !header.Contains(r)))
            problems.Add(new(1, required, $"The column {required} is missing. Every manifest needs {string.Join(", ", ManifestColumns.Required)}."));
        if (problems.Any(p => !p.IsWarning)) return ([], problems);
        if (header.Count(h => ManifestColumns.Known.Contains(h)) < ManifestColumns.Required.Count)
            return ([], [.. problems, new(1, null, "The header row names no known columns. See the manifest template for the column names.")]);
        foreach (var unknown in header.Where(h => h.Length > 0 && !ManifestColumns.Known.Contains(h)))
            problems.Add(new(1, unknown, "Not a column Concordat knows, so it is ignored.", IsWarning: true));
        if (records.Count - 1 > MaxRows)
            return ([], [.. problems, new(0, null, $"The manifest has {records.Count - 1:N0} rows; import at most {MaxRows:N0} at a time.")]);

        var rows = new List<ManifestRow>();
        // Rows as a spreadsheet numbers them: a cell holding line breaks is still one row.
        foreach (var (record, row) in records.Select((r, i) => (r, i + 1)).Skip(1))
        {
            if (record.Cells.All(string.IsNullOrWhiteSpace)) continue;
            var cells = new Dictionary<string, string>();
            for (var i = 0; i < header.Count; i++)
                if (header[i].Length > 0 && !cells.ContainsKey(header[i])) cells[header[i]] = i < record.Cells.Count ? record.Cells[i].Trim() : "";
            if (record.Cells.Count > header.Count && record.Cells.Skip(header.Count).Any(c => !string.IsNullOrWhiteSpace(c)))
                problems.Add(new(row, null, $"This row has {record.Cells.Count} cells but the header names {header.Count}; the extra cells are ignored.", IsWarning: true,
                    Title: cells.GetValueOrDefault("title", "")));
            rows.Add(new ManifestRow(row, cells));
        }
        if (rows.Count == 0) problems.Add(new(0, null, "The manifest has a header row but no agreements."));
        return (rows, problems);
    }

    sealed record Record(int Line, List<string> Cells);

    /// <summary>RFC 4180 records, each with the line it starts on. CRLF, LF and CR all end a record outside quotes.</summary>
    static List<Record> Parse(string text, out int unclosedQuoteLine)
    {
        var records = new List<Record>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var quoteLine = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else
                {
                    if (c == '\n') line++;
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when cell.ToString().Trim().Length == 0:
                    cell.Clear();
                    quoted = true;
                    quoteLine = line;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    cells.Add(cell.ToString());
                    cell.Clear();
                    records.Add(new Record(recordLine, [.. cells]));
                    cells.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        unclosedQuoteLine = quoted ? quoteLine : 0;
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            records.Add(new Record(recordLine, cells));
        }
        return records;
    }
}
