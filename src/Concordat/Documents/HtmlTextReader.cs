using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Concordat.Documents;

/// <summary>
/// Reads the visible text of an HTML page's body. The tree is walked iteratively because uploaded
/// HTML can be nested deeply enough to overflow the stack of a recursive walk.
/// </summary>
internal static class HtmlTextReader
{
    // Elements whose content is never shown as text.
    private static readonly HashSet<string> Invisible =
    [
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "embed",
        "svg", "math", "canvas", "audio", "video", "select", "button",
    ];

    private static readonly HashSet<string> Blocks =
    [
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
    ];

    public static ExtractedText Read(string path, CancellationToken cancellationToken)
    {
        // Decode as UTF-8 ourselves (detection already proved it valid) rather than let the parser
        // guess a legacy encoding when the page declares none.
        var html = PlainTextReader.ReadUtf8(path);
        var document = new HtmlParser().ParseDocument(html);
        var root = (INode?)document.Body ?? document.DocumentElement;

        var writer = new StructuredTextWriter();
        // Each frame is a node plus whether we are entering it or leaving it.
        var stack = new Stack<(INode Node, bool Leaving)>();
        stack.Push((root, false));
        var visited = 0;
        while (stack.Count > 0)
        {
            if (++visited % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (node, leaving) = stack.Pop();
            if (node is IText text)
            {
                writer.AppendCollapsed(text.Data);
                continue;
            }

            if (node is not IElement element)
            {
                continue;
            }

            var name = element.LocalName;
            if (leaving)
            {
                Leave(name, writer);
                continue;
            }

            if (Invisible.Contains(name) || element.HasAttribute("hidden"))
            {
                continue;
            }

            Enter(name, writer);
            stack.Push((element, true));
            for (var i = element.ChildNodes.Length - 1; i >= 0; i--)
            {
                stack.Push((element.ChildNodes[i], false));
            }
        }

        return ExtractedText.From(writer.ToString(), null, TextSource.TextLayer);
    }

    private static void Enter(string name, StructuredTextWriter writer)
    {
        switch (name)
        {
            case "br":
                writer.LineBreak();
                break;
            case "tr":
                writer.StartRow();
                break;
            case "td" or "th":
                writer.StartCell();
                break;
            case var block when Blocks.Contains(block):
                writer.EndParagraph();
                break;
        }
    }

    private static void Leave(string name, StructuredTextWriter writer)
    {
        switch (name)
        {
            case "tr":
                writer.EndRow();
                break;
            case "td" or "th":
                writer.EndCell();
                break;
            case var block when Blocks.Contains(block):
                writer.EndParagraph();
                break;
        }
    }
}
