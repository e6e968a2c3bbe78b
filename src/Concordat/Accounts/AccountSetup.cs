using Concordat.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Accounts;

public static class AccountSetup
{
    public const string FrameworkAdministrator = Organisations.Viewer.FrameworkAdministratorRole;
    public const string EditorsPolicy = "Editors";

    /// <summary>Identity with cookies for people, bearer tokens for machines; /api/* only ever uses tokens.</summary>
    public static IServiceCollection AddConcordatAccounts(this IServiceCollection services)
    {
        services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // NCSC guidance: length, not composition rules.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<ConcordatDb>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<PasswordRules>();

        // Password reset links work for two hours (and once: the password change renews the security stamp).
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(2));

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            o.AccessDeniedPath = "/sign-in";
            o.Cookie.Name = "concordat";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });

        services.AddAuthentication(o =>
            {
                // AddIdentity made the cookie the default for authenticating; route by path instead.
                o.DefaultScheme = "Concordat";
                o.DefaultAuthenticateScheme = "Concordat";
                o.DefaultChallengeScheme = "Concordat";
                o.DefaultForbidScheme = "Concordat";
            })
            .AddPolicyScheme("Concordat", "Cookie for pages, bearer token for the API", o =>
                o.ForwardDefaultSelector = ctx => ctx.Request.Path.StartsWithSegments("/api")
                    ? BearerTokenHandler.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.Scheme, null);

        services.AddAuthorizationBuilder()
            // Editing needs a signed-in person, or a token that is not read-only.
            .AddPolicy(EditorsPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => !c.User.HasClaim(ApiToken.ReadOnlyClaim, "true")));
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o =>
        {
            o.Filters.Add<TwoStep.TwoStepRequired>();
            o.Filters.Add<RefusedFormAudit>();
        });
        return services;
    }

    /// <summary>
    /// Creates the framework administrator from Concordat:Admin:Email and Concordat:Admin:Password at
    /// first start. An existing account is left as it is (its password may have been changed since).
    /// </summary>
    public static async Task EnsureAdministratorAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        var email = configuration["Concordat:Admin:Email"];
        var password = configuration["Concordat:Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            logger.LogWarning("No framework administrator configured: set Concordat__Admin__Email and Concordat__Admin__Password");
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(FrameworkAdministrator))
            await roles.CreateAsync(new IdentityRole(FrameworkAdministrator));

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByEmailAsync(email) is not null) return;
        var admin = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
            throw new InvalidOperationException("Could not create the framework administrator: " +
                string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, FrameworkAdministrator);
        logger.LogInformation("Created framework administrator {Email}", email);
    }
}
