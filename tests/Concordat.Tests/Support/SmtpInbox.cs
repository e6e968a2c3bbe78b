using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Server = SmtpServer.SmtpServer;
using ServerServices = SmtpServer.ComponentModel.ServiceProvider;

namespace Concordat.Tests.Support;

/// <summary>
/// A real SMTP server on 127.0.0.1 and a free port, in this process, keeping every message it receives.
/// Point the app at it with <see cref="Settings"/>; usable as an xunit class fixture.
/// </summary>
public sealed class SmtpInbox : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<MimeMessage> _messages = [];
    private TaskCompletionSource _arrived = NewSignal();
    private readonly Server _server;
    private readonly Task _running;

    /// <summary>An inbox that accepts mail from anyone, without signing in.</summary>
    public SmtpInbox() : this(credentials: null) { }

    /// <summary>An inbox that accepts mail only after AUTH with this user name and password (over plain text).</summary>
    public static SmtpInbox RequiringSignIn(string userName, string password) => new((userName, password));

    private SmtpInbox((string UserName, string Password)? credentials)
    {
        Credentials = credentials;
        var endpoint = new EndpointDefinitionBuilder().Endpoint(new IPEndPoint(IPAddress.Loopback, 0));
        if (credentials is not null) endpoint.AuthenticationRequired().AllowUnsecureAuthentication();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(endpoint.Build()).Build();

        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => Port = ((IPEndPoint)e.LocalEndPoint).Port;
        var services = new ServerServices();
        services.Add(listeners);
        services.Add(new Store(Receive));
        if (credentials is { } c)
            services.Add(new DelegatingUserAuthenticator((user, password) => user == c.UserName && password == c.Password));

        _server = new Server(options, services);
        // The listener is bound before StartAsync first yields, so Port is known when the constructor returns.
        _running = _server.StartAsync(CancellationToken.None);
        if (Port == 0) throw new InvalidOperationException("The test SMTP server did not start.", _running.Exception);
    }

    public int Port { get; private set; }

    public (string UserName, string Password)? Credentials { get; }

    /// <summary>Configuration that sends the app's mail here, for ConcordatFactory.Settings.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Concordat:Mail:Host"] = "127.0.0.1",
        ["Concordat:Mail:Port"] = Port.ToString(),
        ["Concordat:Mail:Security"] = "None",
        ["Concordat:Mail:UserName"] = Credentials?.UserName,
        ["Concordat:Mail:Password"] = Credentials?.Password,
    };

    /// <summary>The messages received so far, oldest first (a copy).</summary>
    public IReadOnlyList<MimeMessage> Messages
    {
        get { lock (_gate) return [.. _messages]; }
    }

    /// <summary>The first message, received already or later, that matches; TimeoutException if none arrives in time.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task arrived;
            lock (_gate) arrived = _arrived.Task;
            // Read the messages after taking the signal, so one arriving in between is not missed.
            if (Messages.FirstOrDefault(match) is { } found) return found;
            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var subjects = string.Join("; ", Messages.Select(m => $"'{m.Subject}' to {m.To}"));
                throw new TimeoutException($"No matching email arrived within {timeout.TotalSeconds:0.#} s. Received: {(subjects.Length == 0 ? "none" : subjects)}.");
            }
        }
    }

    private void Receive(MimeMessage message)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            _messages.Add(message);
            arrived = _arrived;
            _arrived = NewSignal();
        }
        arrived.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        // A client that never says QUIT keeps its session open; don't let it hold up the test run.
        try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class Store(Action<MimeMessage> receive) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            receive(await MimeMessage.LoadAsync(new MemoryStream(buffer.ToArray()), cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
