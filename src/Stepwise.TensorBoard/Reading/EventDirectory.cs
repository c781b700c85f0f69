namespace Stepwise.TensorBoard.Reading;

/// <summary>Finds runs and event files under a log directory the way TensorBoard does.</summary>
public static class EventDirectory
{
    /// <summary>Whether a file name is an event file (contains <c>tfevents</c>).</summary>
    /// <param name="fileName">A file name.</param>
    /// <returns>True for event files.</returns>
    public static bool IsEventFile(string fileName) =>
        Path.GetFileName(fileName).Contains("tfevents", StringComparison.Ordinal);

    /// <summary>The event files directly in a run directory, in ordinal name order (the order TensorBoard reads them).</summary>
    /// <param name="runDirectory">The run directory.</param>
    /// <returns>Full paths.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static IReadOnlyList<string> EventFiles(string runDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        if (!Directory.Exists(runDirectory))
        {
            throw new DirectoryNotFoundException($"Run directory {runDirectory} does not exist.");
        }

        var files = Directory.EnumerateFiles(runDirectory)
            .Where(f => IsEventFile(f) && !f.EndsWith(".txt", StringComparison.Ordinal))
            .Select(Path.GetFullPath)
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Every run under a log directory: each directory (the log directory included) that directly holds
    /// an event file, as a path relative to <paramref name="logDir"/> (<c>.</c> for the log directory itself),
    /// in ordinal order.
    /// </summary>
    /// <param name="logDir">The log directory.</param>
    /// <returns>Relative run names.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static IReadOnlyList<string> FindRuns(string logDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        if (!Directory.Exists(logDir))
        {
            throw new DirectoryNotFoundException($"Log directory {logDir} does not exist.");
        }

        string root = Path.GetFullPath(logDir);
        var runs = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Prepend(root))
        {
            if (EventFiles(dir).Count > 0)
            {
                string relative = Path.GetRelativePath(root, dir).Replace(Path.DirectorySeparatorChar, '/');
                runs.Add(relative);
            }
        }

        runs.Sort(StringComparer.Ordinal);
        return runs;
    }
}
