using Concordat.Demo;

namespace Concordat.BrowserTests.Support;

/// <summary>Real files made in code with the app's own document writer, so no test depends on a checked-in binary.</summary>
public static class TestDocuments
{
    static DocumentContent Content(string title, string marker) =>
        DemoDocuments.ForAgreement(title, "DSA-BROWSER", $"The purpose is {marker} for the residents of the borough.",
            [("London Fire Brigade", "Joint controller"), ("London Borough of Camden", "Joint controller")], ["Fire and Rescue Services Act 2004 s6"], 2);

    public static byte[] Pdf(string title, string marker) => AgreementDocumentWriter.Pdf(Content(title, marker));

    public static byte[] Docx(string title, string marker) => AgreementDocumentWriter.Docx(Content(title, marker));

    /// <summary>The start of a Windows executable: content no register should accept, whatever its name.</summary>
    public static byte[] Executable() => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, .. new byte[200]];
}
