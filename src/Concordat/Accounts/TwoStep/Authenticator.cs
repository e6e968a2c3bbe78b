using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;
using QRCoder;

namespace Concordat.Accounts.TwoStep;

/// <summary>What an authenticator app needs to be set up: the otpauth:// address, its QR code, the key to type.</summary>
public static class Authenticator
{
    public const string Issuer = "Concordat";

    public static string Uri(string email, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(email)}" +
        $"?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>The key in lower-case groups of four, as people type it; apps ignore case and spaces.</summary>
    public static string Grouped(string key) =>
        string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));

    /// <summary>A code as typed, without the spaces and hyphens people (and some apps) put in it.</summary>
    public static string Normalise(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());

    /// <summary>What is wrong with an authenticator code as typed (already normalised), or null.</summary>
    public static string? CodeProblem(string code) =>
        code.Length == 0 ? "Enter the code from your authenticator app"
        : code.Length != 6 || !code.All(char.IsAsciiDigit) ? "The code must be 6 digits"
        : null;

    /// <summary>
    /// The QR code as inline SVG: one path of dark modules, with no style attribute or element, so the
    /// Content-Security-Policy needs no change. Screen readers get <paramref name="label"/> instead.
    /// </summary>
    public static IHtmlContent QrCode(string uri, string label)
    {
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var size = data.ModuleMatrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                if (data.ModuleMatrix[y][x]) path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
        var title = System.Net.WebUtility.HtmlEncode(label);
        return new HtmlString(
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{size * 5}\" height=\"{size * 5}\" role=\"img\" aria-labelledby=\"qr-title\" shape-rendering=\"crispEdges\">" +
            $"<title id=\"qr-title\">{title}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/><path fill=\"#0b0c0c\" d=\"{path}\"/></svg>");
    }
}
