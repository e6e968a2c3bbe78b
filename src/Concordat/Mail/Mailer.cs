using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Concordat.Mail;

/// <summary>
/// Sends email through the configured SMTP server, or, when none is configured, saves each message as an
/// .eml file in the pickup folder so nothing is lost on a machine without email.
/// </summary>
public sealed class Mailer(IOptions<MailOptions> options, ILogger<Mailer> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly MailOptions _options = options.Value;
    private readonly string _pickupFolder = Path.GetFullPath(options.Value.PickupFolder);

    public async Task<MailDelivery> SendAsync(OutgoingMail mail, CancellationToken ct = default)
    {
        var message = Compose(mail);
        return _options.SmtpConfigured ? await SendBySmtpAsync(message, mail, ct) : await SaveToPickupAsync(message, mail, ct);
    }

    /// <summary>
    /// A notification to each address, best effort: one that cannot go is logged and the rest still go, because the
    /// change it tells of is already saved (sign-off steps, departures waiting for approval).
    /// </summary>
    public async Task NotifyAsync(IEnumerable<string> addresses, string subject, string text, CancellationToken ct = default)
    {
        foreach (var address in addresses.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                await SendAsync(new OutgoingMail(address, subject, text), ct);
            }
            catch (Exception e) when (e is MailNotSentException or IOException)
            {
                logger.LogWarning(e, "Notification {Subject} to {Email} was not sent", subject, address);
            }
        }
    }

    private MimeMessage Compose(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From));
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }

    private async Task<MailDelivery> SendBySmtpAsync(MimeMessage message, OutgoingMail mail, CancellationToken ct)
    {
        var host = _options.Host!;
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(host, _options.Port, SocketOptions(_options.Security), ct);
            if (!string.IsNullOrEmpty(_options.UserName))
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The body is deliberately not logged: it may carry a single-use link.
            logger.LogError(ex, "Email {Subject} to {Recipient} was not sent through {Host}:{Port}", mail.Subject, mail.To, host, _options.Port);
            Measurements.MailMessages.Add(1, Measurements.Outcome("failed"));
            throw new MailNotSentException(Explain(ex, mail), ex);
        }
        logger.LogInformation("Email {Subject} sent to {Recipient} through {Host}", mail.Subject, mail.To, host);
        Measurements.MailMessages.Add(1, Measurements.Outcome("sent"));
        return new MailDelivery { To = mail.To, SmtpHost = host };
    }

    private async Task<MailDelivery> SaveToPickupAsync(MimeMessage message, OutgoingMail mail, CancellationToken ct)
    {
        Directory.CreateDirectory(_pickupFolder);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmssfff}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.eml";
        var path = Path.Combine(_pickupFolder, name);
        // Written under another name and renamed, so whatever watches the folder never sees half a message.
        var temp = path + ".tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await message.WriteToAsync(stream, ct);
                await stream.FlushAsync(ct);
            }
            File.Move(temp, path);
            Measurements.MailMessages.Add(1, Measurements.Outcome("saved"));
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        logger.LogInformation("No email server is configured: email {Subject} to {Recipient} saved to {Path}", mail.Subject, mail.To, path);
        return new MailDelivery { To = mail.To, SavedToFile = path };
    }

    private static SecureSocketOptions SocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    private string Explain(Exception ex, OutgoingMail mail)
    {
        var server = $"the email server {_options.Host}:{_options.Port}";
        return ex switch
        {
            SocketException => $"Could not connect to {server} ({ex.Message}). Check Concordat:Mail:Host and Port, and that the server is running.",
            SslHandshakeException => $"Could not set up a secure connection with {server}. Check Concordat:Mail:Security: SslOnConnect usually goes with port 465, StartTls with 587.",
            AuthenticationException => $"{Capitalised(server)} refused the user name or password. Check Concordat:Mail:UserName and Password.",
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } =>
                $"{Capitalised(server)} refused the recipient address {mail.To}: {ex.Message}",
            SmtpCommandException c => $"{Capitalised(server)} refused the message ({(int)c.StatusCode}: {ex.Message}).",
            TimeoutException or OperationCanceledException => $"{Capitalised(server)} did not answer within {Timeout.TotalSeconds:0} seconds.",
            _ => $"Could not send email through {server}: {ex.Message}",
        };
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
