using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Operations;

/// <summary>
/// Running behind a load balancer or TLS proxy. Concordat:ForwardedHeaders:KnownProxies (addresses) and :KnownNetworks
/// (CIDR ranges) name the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; with neither set, the
/// headers are ignored, so a client cannot claim another address to slip a rate limit. When the public address is
/// https, the sign-in cookie is Secure whatever scheme the request arrived on. The anti-forgery cookie follows the
/// request's scheme (as the proxy reports it): ASP.NET Core refuses to serve a form at all when that cookie must be
/// Secure and the request looks like plain http, which a proxy not yet named in KnownProxies would cause.
/// </summary>
public static class ProxySupport
{
    sealed record Proxies(bool Any);

    public static IServiceCollection AddProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Concordat:ForwardedHeaders");
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        var addresses = proxies.Select(p => IPAddress.TryParse(p, out var a) ? a
            : throw new InvalidOperationException($"Concordat:ForwardedHeaders:KnownProxies has '{p}', which is not an IP address.")).ToList();
        var ranges = networks.Select(n => System.Net.IPNetwork.TryParse(n, out var r) ? r
            : throw new InvalidOperationException($"Concordat:ForwardedHeaders:KnownNetworks has '{n}', which is not a CIDR range such as 10.0.0.0/8.")).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var a in addresses) o.KnownProxies.Add(a);
            foreach (var r in ranges) o.KnownIPNetworks.Add(r);
        });
        services.AddSingleton(new Proxies(addresses.Count + ranges.Count > 0));

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<PublicSite>((o, site) =>
        {
            if (site.Address.Scheme == Uri.UriSchemeHttps) o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
        });
        return services;
    }

    public static void UseProxySupport(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Proxies>().Any) app.UseForwardedHeaders();
    }
}
