namespace Concordat.Mail;

/// <summary>One message to one person. <see cref="HtmlBody"/>, when given, is sent as an alternative to the text.</summary>
public sealed record OutgoingMail(string To, string Subject, string TextBody, string? HtmlBody = null, string? ToName = null);

/// <summary>What happened to a message, in terms a page can show.</summary>
public sealed record MailDelivery
{
    public required string To { get; init; }

    /// <summary>The SMTP server that accepted the message, or null when it was saved to a file.</summary>
    public string? SmtpHost { get; init; }

    /// <summary>Full path of the saved .eml file, or null when the message was sent.</summary>
    public string? SavedToFile { get; init; }

    public bool Sent => SmtpHost is not null;

    /// <summary>One plain sentence saying where the message went.</summary>
    public string Summary => Sent
        ? $"The email to {To} was sent through the email server {SmtpHost}."
        : $"No email server is configured, so the message to {To} was saved to {DisplayPath(SavedToFile!)}.";

    // Inside the working directory the relative path (data/mail/…) is what an operator recognises.
    private static string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..") || Path.IsPathRooted(relative) ? path : relative;
    }
}

/// <summary>The email server could not be reached or refused the message. The message says what to check.</summary>
public sealed class MailNotSentException(string message, Exception? inner = null) : Exception(message, inner);
