namespace Stepwise.TensorBoard.Tests.Support;

/// <summary>Locates the reference event files (shared/golden/tensorboard) above the test binaries.</summary>
internal static class Golden
{
    public const double T0 = 1700000000.0;

    public const string FileName = "events.out.tfevents.1700000000.goldenhost";

    public static string Dir(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "golden", "tensorboard")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new DirectoryNotFoundException("shared/golden/tensorboard not found above " + AppContext.BaseDirectory);
        }

        return Path.Combine([dir.FullName, "shared", "golden", "tensorboard", .. parts]);
    }

    public static string File(string scenario) => Directory.GetFiles(Dir(scenario)).Single(f => !f.EndsWith(".txt", StringComparison.Ordinal));

    public static byte[] Bytes(string scenario) => System.IO.File.ReadAllBytes(File(scenario));

    /// <summary>Writer options that reproduce the reference's pinned clock and host name.</summary>
    public static Stepwise.TensorBoard.Writing.SummaryWriterOptions Options(TimeProvider? time = null) => new()
    {
        File = new Stepwise.TensorBoard.Writing.EventFileWriterOptions
        {
            Time = time ?? ManualTimeProvider.AtUnixSeconds(1700000000),
            HostName = "goldenhost",
            FlushInterval = Timeout.InfiniteTimeSpan,
        },
    };

    /// <summary>Splits an event file into record payloads (framing checked by the caller's reader).</summary>
    public static List<byte[]> Payloads(byte[] file)
    {
        var list = new List<byte[]>();
        int p = 0;
        while (p < file.Length)
        {
            int length = (int)BitConverter.ToUInt64(file, p);
            list.Add(file.AsSpan(p + 12, length).ToArray());
            p += length + 16;
        }

        return list;
    }
}
