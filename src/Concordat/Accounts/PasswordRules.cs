using Microsoft.AspNetCore.Identity;

namespace Concordat.Accounts;

/// <summary>
/// NCSC guidance: length (12 or more, set in AccountSetup) and no composition rules, but refuse
/// passwords that are common, guessable from the account, or one character repeated.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<IdentityUser>
{
    // Fragments that make a password guessable however long it is; compared without case, spaces or digits.
    static readonly string[] Common =
    [
        "password", "passw0rd", "qwerty", "qwertyuiop", "asdfgh", "zxcvbn", "letmein", "welcome", "iloveyou", "admin",
        "administrator", "monkey", "dragon", "football", "baseball", "sunshine", "princess", "trustno1", "abc123",
        "changeme", "secret", "london", "concordat", "default", "master", "login", "starwars", "whatever", "shadow",
    ];

    public Task<IdentityResult> ValidateAsync(UserManager<IdentityUser> manager, IdentityUser user, string? password)
    {
        if (string.IsNullOrEmpty(password)) return Task.FromResult(IdentityResult.Success); // the length rule reports it
        var plain = new string(password.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
        var failures = new List<IdentityError>();
        if (password.Distinct().Count() <= 2)
            failures.Add(new() { Code = "PasswordRepetitive", Description = "Choose a password that is not one or two characters repeated" });
        if (IsSequence(password))
            failures.Add(new() { Code = "PasswordSequence", Description = "Choose a password that is not a run of keys or numbers, like 123456789012" });
        if (plain.Length > 0 && Common.Any(c => plain == c || (plain.Length - c.Length <= 4 && plain.Contains(c))))
            failures.Add(new() { Code = "PasswordCommon", Description = "Choose a less common password: this one is on lists that attackers try first" });
        var local = user.Email?.Split('@')[0].ToLowerInvariant();
        if (local is { Length: >= 3 } && password.ToLowerInvariant().Contains(local))
            failures.Add(new() { Code = "PasswordContainsEmail", Description = "Choose a password that does not contain your email address" });
        return Task.FromResult(failures.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. failures]));
    }

    static bool IsSequence(string password)
    {
        const string runs = "0123456789012345678901234567890abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzqwertyuiopqwertyuiop";
        var lower = password.ToLowerInvariant();
        return runs.Contains(lower) || new string(runs.Reverse().ToArray()).Contains(lower);
    }
}
