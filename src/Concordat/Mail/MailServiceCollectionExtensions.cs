using MimeKit;

namespace Concordat.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>Registers <see cref="Mailer"/> with <see cref="MailOptions"/> from "Concordat:Mail", checked at start-up.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.SectionName))
            // MimeKit accepts a bare word as a mailbox, so ask for the @ as well.
            .Validate(o => MailboxAddress.TryParse(o.From, out var from) && from.Address.Contains('@'),
                "Concordat:Mail:From must be an email address, for example 'Concordat <no-reply@example.gov.uk>'.")
            .Validate(o => o.Port is > 0 and <= 65535, "Concordat:Mail:Port must be between 1 and 65535.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.PickupFolder), "Concordat:Mail:PickupFolder must be set.")
            .ValidateOnStart();
        services.AddSingleton<Mailer>();
        return services;
    }
}
