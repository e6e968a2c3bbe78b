using Microsoft.Playwright;

namespace Concordat.BrowserTests.Support;

/// <summary>
/// One app and one headless Chromium for a test class, started once and disposed at the end; each
/// test opens its own browser context (cookies, storage) with <see cref="NewContextAsync"/>.
/// </summary>
public abstract class BrowserFixture(bool demoData) : IAsyncLifetime
{
    static readonly string[] ChromiumPaths = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public ConcordatServer Server { get; } = new(demoData);
    public string BaseUrl => Server.BaseUrl;

    IPlaywright? _playwright;
    IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        // Fail, never skip: CI installs Chromium, so its absence is a broken machine.
        var executable = ChromiumPaths.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            await Server.DisposeAsync();
            throw new InvalidOperationException(
                $"Chromium was not found at {string.Join(" or ", ChromiumPaths)}. The browser tests need Debian's chromium package " +
                "(apt-get install chromium; scripts/test.sh installs it); Playwright's own browser download is not used.");
        }

        // Starting the app migrates, seeds and (for the demo fixture) generates 65 agreements: off the test thread.
        await Task.Run(Server.Start);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh context: no cookies, the app as its base URL, downloads accepted.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool javaScriptEnabled = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            JavaScriptEnabled = javaScriptEnabled,
            AcceptDownloads = true,
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        if (!javaScriptEnabled) Accessibility.MarkScriptless(context);
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(20_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>The register with its demo data: 65 agreements across the region, drafts among them.</summary>
public sealed class DemoRegisterFixture() : BrowserFixture(demoData: true);

/// <summary>An empty register (organisations and the administrator only), for journeys that add agreements.</summary>
public sealed class EmptyRegisterFixture() : BrowserFixture(demoData: false);
