namespace Concordat.Demo;

/// <summary>
/// The body of a generated agreement: the sixteen sections a compliant agreement carries (DOMAIN.md),
/// in plain words, lengthened with further operating detail to reach roughly the pages asked for.
/// </summary>
public static class DemoDocuments
{
    static readonly (string Heading, string Text)[] Sections =
    [
        ("1. Document control", "This agreement is version controlled. Each change is recorded with its date and author, and a changed agreement is issued as a new version that supersedes the previous one."),
        ("2. Parties and their roles", "The parties listed in this agreement each act in the role shown. Each party is responsible for its own compliance with data protection law for the processing it carries out."),
        ("3. Purpose and benefits", "{purpose} The information shared under this agreement will not be used for any other purpose without a further agreement or a lawful basis of its own."),
        ("4. Data subjects and data items", "Only the data items listed in the data flows are shared. Each party considers before every disclosure whether the purpose can be met with less information, or with none that identifies a person."),
        ("5. Lawful basis", "The parties rely on the lawful bases recorded in the register entry for this agreement. Where special category or criminal offence data is shared, the condition recorded there applies. Legal powers: {powers}. Information given in confidence is shared only where the common law duty of confidentiality is met."),
        ("6. Data protection impact assessment", "A data protection impact assessment was carried out before sharing began. Its findings and the measures taken to reduce risk are summarised in an appendix and reviewed with this agreement."),
        ("7. Transparency and privacy notices", "Each party tells the people whose information is shared, in its privacy notice, that sharing takes place, why, and with whom, unless an exemption applies."),
        ("8. Individuals' rights and complaints", "Requests from individuals to exercise their rights are handled by the party that receives them, which consults the other parties where needed. Complaints are handled under each party's own complaints procedure."),
        ("9. Data quality", "Each party checks that the information it shares is accurate and up to date, and tells the recipient promptly if it finds that information was wrong."),
        ("10. Security and transfer", "Information is sent by secure email or through a secure file transfer service and stored on systems with access restricted to those who need it. Security measures are proportionate to each party's recorded assurance."),
        ("11. Retention and disposal", "Shared information is kept no longer than needed for the purpose, in line with each party's retention schedule, and then securely destroyed."),
        ("12. Breach handling", "A party that discovers a personal data breach involving shared information tells the other parties within 24 hours and works with them to contain it, and reports it to the Information Commissioner where required."),
        ("13. Practitioner obligations and training", "Staff who share or receive information under this agreement complete data protection training and follow their organisation's information governance policies."),
        ("14. Review and termination", "This agreement is reviewed at least every three years, or sooner if the law or the purpose changes. A party may leave on written notice, and information already shared continues to be protected."),
        ("15. Glossary", "Personal data, special category data, controller, processor and data protection impact assessment have the meanings given in the UK GDPR and the Data Protection Act 2018."),
        ("16. Signatures", "Signed for and on behalf of each party by a senior officer with authority to commit that party to this agreement."),
    ];

    const string Detail = "Operating detail: requests are logged with the date, the requesting officer, the reason and the information disclosed. " +
        "Each party's information governance lead monitors the log quarterly, checks a sample of disclosures against the purpose of this agreement, " +
        "and reports any disclosure that went beyond what was needed so that practice can be corrected and staff given further guidance.";

    public static DocumentContent ForAgreement(string title, string reference, string purpose,
        IReadOnlyList<(string Organisation, string Role)> parties, IReadOnlyList<string> powers, int pages)
    {
        var sections = new List<(string, IReadOnlyList<string>)>();
        // About 700 words fill a page of the generated PDF; the sixteen sections are about two pages.
        var extraParagraphs = Math.Max(0, (pages - 2) * 10);
        for (var i = 0; i < Sections.Length; i++)
        {
            var (heading, text) = Sections[i];
            var paragraphs = new List<string>
            {
                text.Replace("{purpose}", purpose).Replace("{powers}", powers.Count > 0 ? string.Join("; ", powers) : "none recorded"),
            };
            if (i == 1) paragraphs.AddRange(parties.Select(p => $"{p.Organisation}: {p.Role}."));
            for (var k = i; k < extraParagraphs; k += Sections.Length) paragraphs.Add($"{Detail} (Clause {i + 1}.{paragraphs.Count}.)");
            sections.Add((heading, paragraphs));
        }
        return new DocumentContent($"{title} ({reference})", sections);
    }
}
