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
        IReadOnlyDictionary<string, string>? environment = null, long? memoryLimitBytes = null)
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

        // Drain both pipes concurrently so a chatty tool cannot block on a full buffer.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
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

            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
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
