namespace Concordat.Templates;

/// <summary>How template states, types and question types read on the pages.</summary>
public static class TemplateText
{
    public static string Describe(TemplateState state) => state switch
    {
        TemplateState.Draft => "Draft",
        TemplateState.InReview => "In review",
        TemplateState.PreApproved => "Pre-approved",
        TemplateState.Superseded => "Superseded",
        _ => "Retired",
    };

    public static string TagClass(TemplateState state) => state switch
    {
        TemplateState.PreApproved => "govuk-tag--green",
        TemplateState.InReview => "govuk-tag--blue",
        TemplateState.Draft => "govuk-tag--grey",
        _ => "govuk-tag--orange",
    };

    public static string Describe(QuestionType type) => type switch
    {
        QuestionType.Text => "A line of text",
        QuestionType.LongText => "Paragraphs of text",
        QuestionType.Date => "A date",
        QuestionType.Organisation => "An organisation from the registry",
        QuestionType.OrganisationsWithRoles => "Organisations from the registry, each with its role",
        QuestionType.Choice => "A choice",
        QuestionType.DataItems => "A list of data items",
        QuestionType.List => "A list, one per line",
        _ => "Yes or no",
    };

    public static string Describe(TemplateType type) => type switch
    {
        TemplateType.InformationSharing => "Information sharing agreement",
        TemplateType.DataDisclosure => "Data disclosure agreement",
        TemplateType.JointController => "Joint controller agreement",
        TemplateType.DataProcessing => "Data processing agreement",
        _ => "Overarching accord",
    };
}
