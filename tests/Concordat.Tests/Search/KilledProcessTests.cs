using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Concordat.Tests.Support;

namespace Concordat.Tests.Search;

/// <summary>
/// The app as its own process, killed without warning straight after saving a run of agreements, then started again:
/// whatever its index had not yet applied (or committed) when it died is searchable after the restart.
/// The in-test app prepares the database and a token, and is the second node whose saves the killed one has not yet
/// picked up; the killed process has its own index folder, as every node does.
/// </summary>
public sealed class KilledProcessTests(ConcordatFactory app, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<ConcordatFactory>
{
    const int Saves = 25;

    [Fact]
    public async Task Agreements_saved_just_before_the_process_is_killed_are_searchable_after_it_restarts()
    {
        using var setup = await app.AdminApiAsync();
        var token = setup.DefaultRequestHeaders.Authorization!.Parameter!;
        var lead = await app.OrganisationIdAsync("Shelter");
        var port = FreePort();
        var nodeIndex = Path.Combine(app.Root, "node-index");

        var titles = new List<string>();
        using (var node = await StartAsync(port, nodeIndex))
        {
            using var api = Client(port, token);
            for (var i = 0; i < Saves; i++)
            {
                var title = $"Quokka survey {i}";
                var response = await api.PostAsJsonAsync("/api/v1/agreements", new { title, leadOrganisationId = lead });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                titles.Add(title);
            }
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
        // The node indexed its own saves within milliseconds; these are saved by another node (the in-test app) while it
        // is down, so it can learn of them only from the outbox when it restarts. (Saved before the kill, a slow machine
        // could let its poll see them first, and the test would prove nothing.)
        for (var i = Saves; i < Saves + 5; i++)
        {
            var title = $"Quokka survey {i}";
            await app.CreateAgreementAsync(setup, new { title, leadOrganisationId = lead });
            titles.Add(title);
        }

        var atKill = Concordat.Search.SearchIndex.OpenReader(nodeIndex);
        using (atKill?.Reader)
        {
            var saved = await app.LastOutboxEntryAsync();
            log.WriteLine($"the killed node's index had applied outbox entry {atKill?.AppliedSequence} of {saved}");
            Assert.True(atKill is { } at && at.AppliedSequence < saved, "the node was killed before it indexed every save");
        }

        using var restarted = await StartAsync(port, nodeIndex);
        try
        {
            using var api = Client(port, token);
            var result = await api.GetFromJsonAsync<JsonObject>("/api/v1/search?q=quokka&pageSize=100");
            var found = result!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).Order().ToList();
            Assert.Equal(titles.Order().ToList(), found);
            Assert.Equal(titles.Count, result["total"]!.GetValue<int>());
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }

    static HttpClient Client(int port, string token) => new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>The built app (concordat.dll beside the tests) over the test's database and files, answering on a loopback port.</summary>
    async Task<Process> StartAsync(int port, string indexFolder)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "concordat.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Concordat__Documents__BlobRoot"] = app.BlobRoot,
                ["Concordat__Mail__PickupFolder"] = app.MailFolder,
                ["Concordat__Search__IndexFolder"] = indexFolder,
                ["Concordat__DemoData"] = "false",
                ["Concordat__PublicUrl"] = $"http://127.0.0.1:{port}",
                ["Concordat__Admin__Email"] = ConcordatFactory.AdminEmail,
                ["Concordat__Admin__Password"] = ConcordatFactory.AdminPassword,
            },
        };
        foreach (var (key, value) in app.Database.EnvironmentVariables) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && !process.HasExited; await Task.Delay(200))
        {
            try
            {
                if ((await probe.GetAsync("/api/v1/organisations")).IsSuccessStatusCode) return process;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        lock (output) Assert.Fail($"the app did not start on port {port}:\n{output}");
        return process;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
