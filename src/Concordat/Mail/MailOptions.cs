namespace Concordat.Mail;

/// <summary>How the connection to the email server is secured.</summary>
public enum MailSecurity
{
    /// <summary>TLS on connect for port 465, otherwise STARTTLS when the server offers it.</summary>
    Auto,
    /// <summary>No encryption: only for a relay on the same machine or a test server.</summary>
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Outgoing email settings, bound from "Concordat:Mail".</summary>
public sealed class MailOptions
{
    public const string SectionName = "Concordat:Mail";

    /// <summary>The SMTP server. Without one, messages are saved as .eml files in <see cref="PickupFolder"/>.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>Sign in to the server only when set.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    /// <summary>The sender, as a display name and address.</summary>
    public string From { get; set; } = "Concordat <no-reply@concordat.local>";

    /// <summary>Where messages go when no server is configured. Relative paths resolve against the working directory.</summary>
    public string PickupFolder { get; set; } = "data/mail";

    public bool SmtpConfigured => !string.IsNullOrWhiteSpace(Host);
}
