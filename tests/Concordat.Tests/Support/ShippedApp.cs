using System.Diagnostics;

namespace Concordat.Tests.Support;

/// <summary>The built app (concordat.dll beside the tests) run as an operator runs it: a process of its own.</summary>
public static class ShippedApp
{
    /// <summary>Runs a command-line verb to its end; its exit code and what it printed.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "concordat.dll"), .. args])
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true); // never leave it running behind the tests
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>The settings that point a process at a test app's database and files, as the Testing environment.</summary>
    public static Dictionary<string, string> BesideApp(ConcordatFactory app) => new(app.Database.EnvironmentVariables)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["Concordat__PublicUrl"] = ConcordatFactory.PublicUrl,
        ["Concordat__Documents__BlobRoot"] = app.BlobRoot,
        ["Concordat__Search__IndexFolder"] = Path.Combine(app.Root, "search-cli"),
        ["Concordat__Mail__PickupFolder"] = app.MailFolder,
        ["Concordat__DemoData"] = "false",
        ["Concordat__Admin__Email"] = ConcordatFactory.AdminEmail,
        ["Concordat__Admin__Password"] = ConcordatFactory.AdminPassword,
    };
}
