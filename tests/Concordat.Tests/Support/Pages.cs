using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Concordat.Tests.Support;

/// <summary>Reads pages as a browser would and posts their forms with the anti-forgery token.</summary>
public static class HtmlPages
{
    static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}");
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>Posts the fields to the page's form (the first, or the one matching <paramref name="formSelector"/>).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, string formSelector = "main form")
    {
        var page = await client.GetPageAsync(url);
        var form = (IHtmlFormElement?)page.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} on {url}");
        var token = (form.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement)?.Value
            ?? throw new InvalidOperationException("The form has no anti-forgery token");
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!;
        var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(action, content);
    }

    /// <summary>A client that follows no redirects and keeps cookies, signed in as the administrator (password, then authenticator code).</summary>
    public static async Task<HttpClient> SignedInClientAsync(this ConcordatFactory factory)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = factory.ClientOptions.BaseAddress });
        var response = await client.SubmitAsync("/sign-in", [new("Email", ConcordatFactory.AdminEmail), new("Password", ConcordatFactory.AdminPassword)]);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in/two-step", response.Headers.Location!.OriginalString);
        response = await client.SubmitAsync("/sign-in/two-step", [new("Code", ConcordatFactory.AdminCode())]);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static IHtmlDocument ParseBody(this HttpResponseMessage response) => Parser.ParseDocument(response.Content.ReadAsStringAsync().Result);

    public static string[] ErrorSummary(this IHtmlDocument page) =>
        page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent.Trim()).ToArray();

    /// <summary>The error summary's whole text, for errors about the request rather than a field (listed without links).</summary>
    public static string ErrorSummaryText(this IHtmlDocument page) => page.QuerySelector(".govuk-error-summary")?.TextContent ?? "";
}
