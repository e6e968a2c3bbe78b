using System.Net;
using System.Net.Sockets;
using Concordat.Mail;
using Concordat.Tests.Documents;
using Concordat.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Concordat.Tests.Mail;

public sealed class MailerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string SingleUseLink = "https://concordat.example/invitations/Zq8-single-use";

    private static readonly OutgoingMail Invitation = new(
        To: "jo.bloggs@camden.example.gov.uk",
        Subject: "You are invited to Concordat",
        TextBody: $"Set your password at {SingleUseLink}",
        HtmlBody: $"<p>Set your password at <a href=\"{SingleUseLink}\">this link</a>.</p>",
        ToName: "Jo Bloggs");

    private readonly TempDirectory _dir = new();
    private readonly LogRecorder _log = new();

    public void Dispose() => _dir.Dispose();

    private Mailer MailerWith(MailOptions options) => new(Options.Create(options), _log);

    private static MailOptions SmtpTo(int port) => new() { Host = "127.0.0.1", Port = port, Security = MailSecurity.None };

    private static MailOptions SignedInTo(SmtpInbox inbox, string password) =>
        new() { Host = "127.0.0.1", Port = inbox.Port, Security = MailSecurity.None, UserName = "concordat", Password = password };

    [Fact]
    public async Task Mail_sent_through_smtp_arrives_with_text_and_an_html_alternative()
    {
        await using var inbox = new SmtpInbox();

        var delivery = await MailerWith(SmtpTo(inbox.Port)).SendAsync(Invitation);

        var received = await inbox.WaitForMessageAsync(m => m.Subject == Invitation.Subject, Wait);
        var to = Assert.Single(received.To.Mailboxes);
        Assert.Equal(("jo.bloggs@camden.example.gov.uk", "Jo Bloggs"), (to.Address, to.Name));
        Assert.Equal("no-reply@concordat.local", Assert.Single(received.From.Mailboxes).Address);
        Assert.IsType<MultipartAlternative>(received.Body);
        Assert.Equal(Invitation.TextBody, received.TextBody?.TrimEnd());
        Assert.Contains($"<a href=\"{SingleUseLink}\">", received.HtmlBody);
        Assert.True(delivery.Sent);
        Assert.Null(delivery.SavedToFile);
        Assert.Equal("The email to jo.bloggs@camden.example.gov.uk was sent through the email server 127.0.0.1.", delivery.Summary);
    }

    [Fact]
    public async Task Without_a_server_the_mail_is_saved_as_an_eml_file_in_the_pickup_folder()
    {
        var folder = _dir.File("mail");
        var textOnly = Invitation with { HtmlBody = null };

        var delivery = await MailerWith(new MailOptions { PickupFolder = folder }).SendAsync(textOnly);

        var file = Assert.Single(Directory.GetFiles(folder)); // the temporary file is gone
        Assert.Equal(file, delivery.SavedToFile);
        Assert.EndsWith(".eml", file);
        var saved = MimeMessage.Load(file);
        Assert.Equal(Invitation.Subject, saved.Subject);
        Assert.Equal(Invitation.To, Assert.Single(saved.To.Mailboxes).Address);
        Assert.Equal("text/plain", Assert.IsType<TextPart>(saved.Body).ContentType.MimeType);
        Assert.False(delivery.Sent);
        Assert.Equal($"No email server is configured, so the message to {Invitation.To} was saved to {file}.", delivery.Summary);
    }

    [Fact]
    public async Task Messages_saved_at_the_same_moment_get_files_of_their_own()
    {
        var mailer = MailerWith(new MailOptions { PickupFolder = _dir.Path });

        var deliveries = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => mailer.SendAsync(Invitation with { Subject = $"Message {i}" })));

        Assert.Equal(20, deliveries.Select(d => d.SavedToFile).Distinct().Count());
        Assert.Equal(20, Directory.GetFiles(_dir.Path, "*.eml").Length);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_file_inside_the_working_directory_is_described_by_its_relative_path()
    {
        var delivery = new MailDelivery { To = "a@example.gov.uk", SavedToFile = Path.Combine(Environment.CurrentDirectory, "data", "mail", "x.eml") };

        Assert.Equal("No email server is configured, so the message to a@example.gov.uk was saved to data/mail/x.eml.", delivery.Summary);
    }

    [Fact]
    public async Task A_server_that_is_not_running_gives_an_error_naming_it_and_the_settings_to_check()
    {
        var port = UnusedPort();

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => MailerWith(SmtpTo(port)).SendAsync(Invitation));

        Assert.StartsWith($"Could not connect to the email server 127.0.0.1:{port}", error.Message);
        Assert.Contains("Check Concordat:Mail:Host and Port", error.Message);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Error && e.Text.Contains($"127.0.0.1:{port}"));
    }

    [Fact]
    public async Task Signs_in_when_the_server_requires_it()
    {
        await using var inbox = SmtpInbox.RequiringSignIn("concordat", "correct horse");

        await MailerWith(SignedInTo(inbox, "correct horse")).SendAsync(Invitation);

        Assert.Equal(Invitation.Subject, (await inbox.WaitForMessageAsync(_ => true, Wait)).Subject);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_without_logging_the_password_or_the_body()
    {
        await using var inbox = SmtpInbox.RequiringSignIn("concordat", "correct horse");

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => MailerWith(SignedInTo(inbox, "battery staple")).SendAsync(Invitation));

        Assert.Equal($"The email server 127.0.0.1:{inbox.Port} refused the user name or password. Check Concordat:Mail:UserName and Password.", error.Message);
        Assert.Empty(inbox.Messages);
        var logged = Assert.Single(_log.Entries);
        Assert.DoesNotContain("battery staple", logged.Text);
        Assert.DoesNotContain(SingleUseLink, logged.Text);
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Keeps what the mailer logs, message and exception together, so a test can read all of it.</summary>
    private sealed class LogRecorder : ILogger<Mailer>
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((level, formatter(state, exception) + "\n" + exception));
        }

        public bool IsEnabled(LogLevel level) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }
}
