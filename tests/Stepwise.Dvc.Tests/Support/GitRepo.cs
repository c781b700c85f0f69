using System.Diagnostics;

namespace Stepwise.Dvc.Tests.Support;

/// <summary>Real git repositories for the tests (the <c>git</c> command line, local identity).</summary>
internal static class GitRepo
{
    public static string Git(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr.Result}");
        }

        return stdout;
    }

    /// <summary>Git repository with a committed README.md (<c>init</c>), like the golden set-up without DVC.</summary>
    public static void InitGit(string dir)
    {
        Git(dir, "init", "-q", "-b", "main");
        Git(dir, "config", "user.name", "Test User");
        Git(dir, "config", "user.email", "test@example.com");
        Git(dir, "config", "commit.gpgsign", "false");
        File.WriteAllText(Path.Combine(dir, "README.md"), "# demo\n");
        Git(dir, "add", "README.md");
        Git(dir, "commit", "-q", "-m", "init");
    }

    /// <summary>The golden "git+dvc" set-up: git, README commit, then what <c>dvc init</c> commits.</summary>
    public static void InitGitDvc(string dir)
    {
        InitGit(dir);
        Directory.CreateDirectory(Path.Combine(dir, ".dvc"));
        File.WriteAllText(Path.Combine(dir, ".dvc", ".gitignore"), "/config.local\n/tmp\n/cache\n");
        File.WriteAllText(Path.Combine(dir, ".dvc", "config"), string.Empty);
        File.WriteAllText(
            Path.Combine(dir, ".dvcignore"),
            "# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n");
        Git(dir, "add", ".dvc/.gitignore", ".dvc/config", ".dvcignore");
        Git(dir, "commit", "-q", "-m", "dvc init");
    }

    public static void Write(string dir, string relative, string content)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
