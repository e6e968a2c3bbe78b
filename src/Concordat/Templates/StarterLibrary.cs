namespace Concordat.Templates;

/// <summary>
/// The templates Concordat ships with: one of each type, written for this service, covering every section of a
/// compliant agreement (DOMAIN.md). Security wording is proportionate: it asks for what a small partner without
/// ISO 27001 can honestly commit to. Two-way sharing is a question every sharing template asks, not an appendix.
/// Seeded as pre-approved version 1; the framework's approvers own them from then on.
/// </summary>
public static class StarterLibrary
{
    public static IReadOnlyList<(string Name, TemplateType Type, string Summary, List<TemplateQuestion> Questions, List<TemplateSection> Sections)> All() =>
    [
        ("Information sharing agreement", TemplateType.InformationSharing,
            "For partners who share personal data with each other for a common purpose, each as a controller, in one or both directions.",
            SharingQuestions(), Sections(TemplateType.InformationSharing)),
        ("Data disclosure agreement", TemplateType.DataDisclosure,
            "For a one-off or regular disclosure from one controller to another, where the recipient uses the data for its own purposes.",
            SharingQuestions(), Sections(TemplateType.DataDisclosure)),
        ("Joint controller agreement", TemplateType.JointController,
            "For partners who decide together why and how the data is used (UK GDPR Article 26), setting out who does what.",
            SharingQuestions(), Sections(TemplateType.JointController)),
        ("Data processing agreement", TemplateType.DataProcessing,
            "For a controller that has another body process data on its behalf and on its instructions (UK GDPR Article 28).",
            ProcessingQuestions(), Sections(TemplateType.DataProcessing)),
        ("Overarching accord", TemplateType.OverarchingAccord,
            "The framework an organisation adopts once: the shared commitments every agreement made under it relies on.",
            AccordQuestions(), Sections(TemplateType.OverarchingAccord)),
    ];

    // ---- Questions ----

    static TemplateQuestion Q(string key, string topic, string label, QuestionType type, string? hint = null, bool required = true,
        string? vocabulary = null, bool multiple = false, params (string Value, string Text)[] choices) => new()
    {
        Key = key, Topic = topic, Label = label, Hint = hint, Type = type, Required = required, Vocabulary = vocabulary, Multiple = multiple,
        Choices = choices.Select(c => new QuestionChoice { Value = c.Value, Text = c.Text }).ToList(),
    };

    const string About = "About the agreement", Parties = "Who is party to it", Data = "The data", Basis = "The lawful basis",
        Openness = "Impact assessment and transparency", Safeguards = "Security and retention", Dates = "Dates and contact";

    static List<TemplateQuestion> Common() =>
    [
        Q("title", About, "What is the agreement called?", QuestionType.Text, "Say what is shared and why, such as \"Home fire safety referrals\""),
        Q("purpose", About, "What is the sharing for?", QuestionType.LongText, "The specific purpose. Data shared under this agreement is used for nothing else."),
        Q("benefits", About, "Who benefits, and how?", QuestionType.LongText, "The outcome for residents or service users that justifies the sharing"),
        Q("parties", Parties, "Which organisations are party to it, and in what role?", QuestionType.OrganisationsWithRoles),
        Q("start_date", Dates, "When does it start?", QuestionType.Date),
        Q("review_date", Dates, "When will it be reviewed?", QuestionType.Date, "At most three years after it starts"),
        Q("contact_email", Dates, "Which mailbox answers questions about it?", QuestionType.Text, "A team mailbox, not a person's own address"),
    ];

    static List<TemplateQuestion> DataQuestions() =>
    [
        Q("data_subjects", Data, "Whose data is shared?", QuestionType.Choice, vocabulary: "data-subject", multiple: true),
        Q("data_items", Data, "Which data items are shared?", QuestionType.DataItems, "One per line. Only what the purpose needs."),
        Q("frequency", Data, "How often is data shared?", QuestionType.Choice, vocabulary: "flow-frequency"),
        Q("special_category", Data, "Does it include special category data, such as health or ethnicity?", QuestionType.YesNo),
        Q("criminal_offence", Data, "Does it include criminal offence data?", QuestionType.YesNo),
        Q("lawful_basis", Basis, "Which Article 6 lawful basis does each party rely on?", QuestionType.Choice, vocabulary: "lawful-basis", multiple: true),
        Q("special_category_condition", Basis, "Which Article 9 condition applies to the special category data?", QuestionType.Text,
            "With its Schedule 1 condition where one is needed, such as \"Article 9(2)(h), Schedule 1 paragraph 2\"", required: false),
        Q("criminal_offence_basis", Basis, "What is the basis for sharing criminal offence data (Article 10)?", QuestionType.Text,
            "The official authority or Schedule 1 condition relied on", required: false),
        Q("legal_powers", Basis, "Which legal powers allow each party to share?", QuestionType.List, "One per line, such as \"Crime and Disorder Act 1998 s115\""),
        Q("dpia", Openness, "Has a data protection impact assessment been done?", QuestionType.Choice, vocabulary: "dpia"),
        Q("dpia_summary", Openness, "What did the impact assessment find?", QuestionType.LongText, "The main risks and how they are reduced", required: false),
        Q("privacy_notice", Openness, "Where do the parties tell people about this sharing?", QuestionType.Text, "The address of each privacy notice, or where it is given"),
        Q("transfer_method", Safeguards, "How does the data travel between the parties?", QuestionType.Choice,
            choices: [("secure-email", "Secure email between approved mailboxes"), ("file-transfer", "A secure file transfer service"),
                ("shared-system", "A shared case management system"), ("api", "An encrypted connection between systems")]),
        Q("retention", Safeguards, "How long does each party keep the data, and how is it disposed of?", QuestionType.LongText),
    ];

    static List<TemplateQuestion> SharingQuestions() =>
    [
        .. Common().Take(4),
        Q("reciprocal", Parties, "Does each party both give and receive data?", QuestionType.YesNo, "Answer yes for two-way sharing"),
        .. DataQuestions(),
        .. Common().Skip(4),
    ];

    static List<TemplateQuestion> ProcessingQuestions() =>
    [
        .. Common().Take(4),
        Q("instructions", Parties, "What does the controller instruct the processor to do with the data?", QuestionType.LongText,
            "The processing, step by step, and nothing else"),
        Q("sub_processors", Parties, "May the processor use sub-processors?", QuestionType.YesNo),
        .. DataQuestions(),
        .. Common().Skip(4),
    ];

    static List<TemplateQuestion> AccordQuestions() =>
    [
        Q("title", About, "What is the accord called?", QuestionType.Text),
        Q("purpose", About, "What does the accord cover?", QuestionType.LongText, "The services and kinds of sharing agreements made under it will deal with"),
        Q("benefits", About, "What does working to one accord achieve?", QuestionType.LongText),
        Q("parties", Parties, "Which organisations adopt it?", QuestionType.OrganisationsWithRoles),
        .. Common().Skip(4),
    ];

    // ---- Sections ----

    static TemplateSection S(string key, string heading, string clause, string guidance, bool locked = false) =>
        new() { Key = key, Heading = heading, Clause = clause.Trim(), Guidance = guidance, Locked = locked };

    static List<TemplateSection> Sections(TemplateType type)
    {
        var accord = type == TemplateType.OverarchingAccord;
        var processing = type == TemplateType.DataProcessing;
        return
        [
            S("document-control", "Document control", """
                **{{ title }}**

                | | |
                |---|---|
                | Starts | {{ start_date }} |
                | Review due | {{ review_date }} |
                | Questions to | {{ contact_email }} |

                This document replaces any earlier version of the same agreement from the date it starts.
                """, "The register fills in the reference and version when the agreement is published."),
            S("parties", "The parties and their roles", PartiesClause(type),
                "List every organisation that gives, receives or decides about the data. A party added later signs alone; the others are told.",
                locked: type is TemplateType.JointController or TemplateType.DataProcessing),
            S("purpose", "Purpose and benefits", (type is TemplateType.DataProcessing or TemplateType.OverarchingAccord ? "" : "{% if reciprocal %}Data flows both ways between the parties. {% endif %}") + """
                {{ purpose }}

                The parties expect it to bring these benefits: {{ benefits }}

                No party will use data received under this {{ kind }} for any purpose other than the one above, unless the law
                requires it or the person concerned has been told and, where needed, has agreed.
                """, "Purpose limitation (Article 5(1)(b)): be specific enough that a resident could tell whether a use is covered."),
            S("data", "The people and the data", accord
                ? "Each agreement made under this accord lists the people whose data it covers and each data item shared, and shares no more than its purpose needs."
                : """
                The data is about: {{ data_subjects | words }}.

                Only these items are shared:

                | Data item |
                |---|
                {% for item in data_items %}| {{ item }} |
                {% endfor %}

                How often data is shared: {{ frequency | words }}.{% if special_category %} It includes special category data.{% endif %}{% if criminal_offence %} It includes criminal offence data.{% endif %}
                Each party checks before sharing that every item is needed for the purpose, and leaves out what is not.
                """, "Data minimisation (Article 5(1)(c)): list items, not whole records. If an item is only sometimes needed, say when."),
            S("lawful-basis", "Lawful basis", accord
                ? "Each agreement made under this accord records, for each party, its Article 6 lawful basis, any Article 9 condition and Article 10 basis, the legal power it relies on, and how the common law duty of confidentiality is met."
                : """
                Each party's lawful basis under UK GDPR Article 6 is: {{ lawful_basis | words }}.
                {% if special_category %}For special category data the condition is {{ special_category_condition }}.{% endif %}
                {% if criminal_offence %}Criminal offence data is shared on this basis (Article 10): {{ criminal_offence_basis }}.{% endif %}

                The legal powers relied on are:
                {% for power in legal_powers %}
                - {{ power }}
                {% endfor %}

                Where information was given in confidence, it is shared only with consent, where the law requires it, or where
                there is an overriding public interest, and the reason is recorded each time.
                """, "Lawfulness (Article 5(1)(a)). A public body relying on public task should name the statute that gives the task."),
            S("dpia", "Data protection impact assessment", accord
                ? "A party proposing sharing that is likely to be high risk carries out a data protection impact assessment before any data is shared, and the others contribute to it."
                : """
                Impact assessment: {{ dpia | words }}.
                {% if dpia_summary %}{{ dpia_summary }}{% endif %}
                The assessment is revisited whenever the data, the purpose or the way it is shared changes.
                """, "Needed when special category data, children's data or large-scale sharing is involved."),
            S("transparency", "Telling people about the sharing", accord
                ? "Each party tells people, in its privacy notice, which organisations it shares their data with under agreements made under this accord and why."
                : """
                Each party tells the people concerned about this sharing in its privacy notice: {{ privacy_notice }}.
                Notices say who receives the data, why, for how long it is kept and how to complain, in plain language.
                """, "Fairness and transparency (Article 5(1)(a)), Articles 13 and 14."),
            S("rights", "People's rights and complaints", """
                A request from a person to see, correct, erase or restrict their data, or to object, goes to the party that
                received it, which answers within one month. If another party holds the data too, it helps promptly and within
                five working days. Complaints are handled by each party's own procedure, and the person is told they may
                complain to the Information Commissioner's Office.
                """, "Individuals' rights (Articles 12 to 22). Say which party is the point of contact if there is one.",
                locked: true),
            S("data-quality", "Keeping data accurate", """
                Each party checks data before it shares it. A party that finds data to be wrong tells the party it came from
                within five working days, and each party that holds it corrects it.
                """, "Accuracy (Article 5(1)(d))."),
            S("security", "Security and how data travels", SecurityClause(accord),
                "Integrity and confidentiality (Article 5(1)(f)). The register shows each party's recorded assurance beside this section: Data Security and Protection Toolkit, Cyber Essentials, ISO 27001 where held.",
                locked: true),
            S("retention", "Keeping and disposing of data", accord
                ? "Each agreement made under this accord states how long each party keeps the data and how it is disposed of; nothing is kept longer than its purpose needs."
                : """
                {{ retention }}

                When data is no longer needed it is deleted from every system, including copies and exports, or securely
                destroyed if on paper, and the disposal is recorded.
                """, "Storage limitation (Article 5(1)(e)). Link to each party's retention schedule if it has one."),
            S("breaches", "When something goes wrong", """
                A party that finds a personal data breach involving data shared under this {{ kind }} tells the other parties
                within 24 hours of finding it, through the contact above, and they work together to contain it. Each party
                decides for itself, within 72 hours, whether it must report the breach to the Information Commissioner's Office
                and tell the people affected.
                """, "Breach handling (Articles 33 and 34).", locked: true),
            S("practitioners", "Staff and training", """
                Only staff who need the data for the purpose see it. Each party makes sure they are trained in data protection
                at least once a year, know this {{ kind }}, and know whom to ask.
                """, "Accountability (Article 5(2)): practitioners are how the agreement is actually kept."),
            S("review", "Review and ending", """
                The parties review this {{ kind }} by {{ review_date }}, and sooner if the law, the purpose or the data changes.
                A party may leave by giving one month's notice in writing; data it has already received stays subject to the
                sections on security, retention and breaches until it is disposed of.
                """, "The register reminds the lead organisation ahead of the review date."),
            S("glossary", "Words used", """
                *Personal data*, *special category data*, *controller*, *processor* and *personal data breach* have the meanings
                given in the UK GDPR and the Data Protection Act 2018. *Party* means an organisation that has signed this
                {{ kind }}.
                """, ""),
            S("signatures", "Signatures", """
                Each party signs through Concordat by a person entitled to commit it. The {{ kind }} takes effect when every
                party has signed, on {{ start_date }} or on the day of the last signature, whichever is later.

                | Party | Signed for it by | Position | Date |
                |---|---|---|---|
                {% for party in parties %}| {{ party.name }} | | | |
                {% endfor %}
                """, "The register keeps the signature record with the published agreement.", locked: true),
        ];
    }

    static string PartiesClause(TemplateType type) => type switch
    {
        TemplateType.InformationSharing => """
            These organisations are party to this agreement:

            | Organisation | Role |
            |---|---|
            {% for party in parties %}| {{ party.name }} | {{ party.role }} |
            {% endfor %}

            {% if reciprocal %}Each party both gives data to and receives data from the others, and is a controller of the data it holds.{% else %}Data flows one way, from the parties who give it to those who receive it; each party is a controller of the data it holds.{% endif %}
            """,
        TemplateType.DataDisclosure => """
            These organisations are party to this agreement:

            | Organisation | Role |
            |---|---|
            {% for party in parties %}| {{ party.name }} | {{ party.role }} |
            {% endfor %}

            The disclosing party remains a controller of its own records. Once received, the data is the recipient's to
            control, under the terms of this agreement.{% if reciprocal %} Where data also flows back, the same terms apply to it.{% endif %}
            """,
        TemplateType.JointController => """
            These organisations decide together why and how the data is used, and are joint controllers under UK GDPR
            Article 26:

            | Organisation | Role |
            |---|---|
            {% for party in parties %}| {{ party.name }} | {{ party.role }} |
            {% endfor %}

            Between them, the first party named is the point of contact for the people concerned; each party remains
            responsible for its own compliance, and the essence of this arrangement is made available to the people concerned.
            {% if reciprocal %}Each party both gives and receives data.{% endif %}
            """,
        TemplateType.DataProcessing => """
            These organisations are party to this agreement:

            | Organisation | Role |
            |---|---|
            {% for party in parties %}| {{ party.name }} | {{ party.role }} |
            {% endfor %}

            The processor acts only on the controller's documented instructions, which are: {{ instructions }}

            The processor keeps the data confidential, helps the controller meet people's rights and its own duties,
            {% if sub_processors %}uses a sub-processor only with the controller's prior written approval and on the same terms,{% else %}uses no sub-processor,{% endif %}
            returns or deletes the data when the work ends, and gives the controller what it needs to show compliance,
            including audits (UK GDPR Article 28).
            """,
        _ => """
            These organisations adopt this accord:

            | Organisation |
            |---|
            {% for party in parties %}| {{ party.name }} |
            {% endfor %}

            Each commits to make its sharing agreements from the framework's pre-approved templates, to publish them in the
            register, and to keep to the commitments below in every one of them.
            """,
    };

    static string SecurityClause(bool accord) => (accord ? "" : """
        Data travels by: {{ transfer_method | words }}.

        """) + """
        Each party protects the data in proportion to the risk, and as a minimum:

        - keeps it only on managed devices and systems, with access limited to named staff and removed when they leave;
        - encrypts it when it travels, and on any portable device;
        - keeps software up to date and uses multi-factor sign-in for remote access;
        - keeps a record of who has accessed it, where its systems allow.

        A party holding a current Cyber Essentials certificate or meeting the Data Security and Protection Toolkit
        standards is taken to meet these measures for its systems; a party without either states in the register how it
        meets each one. ISO 27001 certification is welcome but not required.
        """;
}
