using Concordat.Mail;
using Concordat.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concordat.Tests.Mail;

public sealed class MailRegistrationTests
{
    private static readonly OutgoingMail Hello = new("ops@lfb.example.gov.uk", "Hello from the app", "Hello.");

    public sealed class PickupApp : ConcordatFactory
    {
        public string PickupFolder => Path.Combine(Root, "mail");
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["Concordat:Mail:PickupFolder"] = PickupFolder };
    }

    public sealed class SmtpApp : ConcordatFactory
    {
        public SmtpInbox Inbox { get; } = new();
        protected override IDictionary<string, string?> Settings => Inbox.Settings;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Inbox.Dispose();
        }
    }

    [Fact]
    public async Task The_app_without_a_mail_server_saves_mail_in_the_configured_pickup_folder()
    {
        using var app = new PickupApp();
        var mailer = app.Services.GetRequiredService<Mailer>();

        var delivery = await mailer.SendAsync(Hello);

        Assert.Same(mailer, app.Services.GetRequiredService<Mailer>());
        Assert.Equal(app.PickupFolder, Path.GetDirectoryName(delivery.SavedToFile));
    }

    [Fact]
    public async Task The_app_given_an_smtp_inbox_sends_mail_to_it()
    {
        using var app = new SmtpApp();

        var delivery = await app.Services.GetRequiredService<Mailer>().SendAsync(Hello);

        Assert.True(delivery.Sent);
        Assert.Equal(Hello.Subject, (await app.Inbox.WaitForMessageAsync(m => m.To.ToString() == Hello.To, TimeSpan.FromSeconds(10))).Subject);
    }

    [Fact]
    public void Settings_are_bound_with_defaults_and_a_sender_that_is_not_an_address_is_refused()
    {
        var good = Provider(new() { ["Concordat:Mail:Host"] = "smtp.example.gov.uk", ["Concordat:Mail:Security"] = "StartTls" });
        var options = good.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal(("smtp.example.gov.uk", 587, MailSecurity.StartTls, "data/mail"), (options.Host, options.Port, options.Security, options.PickupFolder));

        var bad = Provider(new() { ["Concordat:Mail:From"] = "Concordat" });
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<MailOptions>>().Value);
        Assert.Contains("Concordat:Mail:From must be an email address", error.Message);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddMail(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
