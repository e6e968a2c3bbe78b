using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Concordat.Documents;

/// <summary>The programs documents are read with (pdftoppm, tesseract, pdftotext, LibreOffice): found on PATH, run as child processes.</summary>
public static class ExternalTool
{
    /// <summary>
    /// Runs a program with its arguments passed verbatim (no shell) and returns what it wrote to standard output. With
    /// <paramref name="memoryLimitBytes"/>, the program runs under <c>prlimit --as</c>, so a hostile file cannot take the
    /// machine's memory. Cancelling kills the whole process tree. Throws <see cref="InvalidOperationException"/> when the
    /// program cannot start or exits with an error.
    /// </summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, long? memoryLimitBytes = null, long maxOutputChars = 64L * 1024 * 1024)
    {
        var limiter = memoryLimitBytes is null ? null : Find("prlimit");
        var startInfo = new ProcessStartInfo(limiter ?? program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (limiter is not null)
        {
            startInfo.ArgumentList.Add($"--as={memoryLimitBytes}");
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
        }

        // ArgumentList passes each argument verbatim: no shell, no quoting bugs.
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {program}.", e);
        }

        // Drain both pipes concurrently so a chatty tool cannot block on a full buffer; what it writes is bounded, so a
        // hostile file cannot make the tool fill this process's memory with text.
        using var tooMuch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdout = ReadBoundedAsync(process.StandardOutput, maxOutputChars, tooMuch);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(tooMuch.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            // Stopped for writing too much, unless the caller's own cancellation (a time limit) came first.
            if (!cancellationToken.IsCancellationRequested) throw new OutputTooLargeException(Path.GetFileName(program), maxOutputChars);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
    }

    static async Task<string> ReadBoundedAsync(StreamReader reader, long maxChars, CancellationTokenSource tooMuch)
    {
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, tooMuch.Token)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > maxChars)
            {
                await tooMuch.CancelAsync();
                tooMuch.Token.ThrowIfCancellationRequested();
            }
        }
        return text.ToString();
    }

    /// <summary>The program's full path if it is on PATH and executable. Looked up each call, so installing a tool needs no restart.</summary>
    public static string? Find(string name)
    {
        var candidates = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in candidates)
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full) &&
                    (OperatingSystem.IsWindows() || (File.GetUnixFileMode(full) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                {
                    return full;
                }
            }
        }

        return null;
    }
}

/// <summary>A tool wrote more than the caller allows (a PDF whose text runs to gigabytes, say); it was stopped.</summary>
public sealed class OutputTooLargeException(string program, long maxChars)
    : InvalidOperationException($"{program} wrote more than {maxChars:N0} characters and was stopped.");
