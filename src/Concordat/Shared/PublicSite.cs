using Microsoft.AspNetCore.HostFiltering;

namespace Concordat.Shared;

/// <summary>
/// The address people open Concordat at (<c>Concordat:PublicUrl</c>). Every link that leaves a page (in an email, a feed,
/// an export or an open-data description) starts with it and never with the request's Host header, which the client
/// chooses: a password-reset link built from a forged Host would carry its token to someone else's site.
/// </summary>
public sealed class PublicSite
{
    public const string Setting = "Concordat:PublicUrl";
    /// <summary>Where <c>dotnet run</c> listens (Properties/launchSettings.json), the default in Development only.</summary>
    public const string DevelopmentUrl = "http://localhost:5080";

    PublicSite(Uri address)
    {
        Address = address;
        BaseUrl = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>The address without a trailing slash, such as https://concordat.london.gov.uk.</summary>
    public string BaseUrl { get; }
    public Uri Address { get; }

    /// <summary>An absolute link to a path of the site ("/agreements/12").</summary>
    public string Link(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    /// <summary>
    /// Reads and checks the setting. Outside Development there is no default: a server that guessed its own address
    /// from requests would put whatever Host a client sent into the links it mails out.
    /// </summary>
    public static PublicSite From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[Setting]?.Trim();
        if (string.IsNullOrEmpty(configured))
        {
            if (environment.IsDevelopment()) configured = DevelopmentUrl;
            else
                throw new InvalidOperationException(
                    $"{Setting} is not set. Set it (environment variable Concordat__PublicUrl) to the address people open Concordat at, " +
                    "for example https://concordat.london.gov.uk: links in emails, feeds and open data are built from it, and requests for any other host are refused.");
        }
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var address) || address.Scheme is not ("https" or "http")
            || address.UserInfo.Length > 0 || address.Query.Length > 0 || address.Fragment.Length > 0)
            throw new InvalidOperationException(
                $"{Setting} is '{configured}', which is not a web address. Give the scheme and host people use, such as https://concordat.london.gov.uk, with no query or fragment.");
        return new PublicSite(address);
    }
}

public static class PublicSiteSetup
{
    /// <summary>
    /// Registers the site's address and, unless <c>AllowedHosts</c> is configured, answers only requests for its host
    /// (in Development, the loopback names too), so a request naming another host is refused with 400 before it reaches the app.
    /// </summary>
    public static PublicSite AddPublicSite(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var site = PublicSite.From(configuration, environment);
        services.AddSingleton(site);
        if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]))
        {
            string[] hosts = environment.IsDevelopment() ? [site.Address.IdnHost, "localhost", "127.0.0.1", "[::1]"] : [site.Address.IdnHost];
            services.Configure<HostFilteringOptions>(o => o.AllowedHosts = hosts.Distinct().ToList());
        }
        return site;
    }
}
