using System.Diagnostics;
using System.Text;

namespace Stepwise.Dvc.Internal;

/// <summary>Runs the <c>git</c> command line (the only external tool experiments need).</summary>
internal static class GitCli
{
    /// <summary>Result of one git invocation.</summary>
    internal readonly record struct Result(int ExitCode, string Stdout, string Stderr)
    {
        public bool Ok => ExitCode == 0;
    }

    /// <summary>Runs git in <paramref name="workDir"/>; a missing git executable gives exit code 127.</summary>
    public static Result Run(string workDir, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        try
        {
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var stderrTask = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new Result(process.ExitCode, stdout, stderrTask.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new Result(127, string.Empty, "git could not be started: " + ex.Message);
        }
    }
}
