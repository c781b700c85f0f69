using System.Globalization;

namespace Stepwise.Dvc.Internal;

/// <summary>Reads CPU, memory and disk usage (Linux <c>/proc</c>; elsewhere what .NET exposes).</summary>
internal sealed class SystemSampler
{
    private const double Gb = 1024.0 * 1024 * 1024;
    private ulong[]? _previousCpu;

    /// <summary>One sample: metric name → value.</summary>
    public Dictionary<string, double> Sample(IReadOnlyDictionary<string, string> directories)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (ReadCpuTimes() is { } cpu)
        {
            if (_previousCpu is { } previous && previous.Length == cpu.Length)
            {
                var cores = (cpu.Length / 2) - 1;
                values["system/cpu/usage (%)"] = Usage(previous, cpu, 0);
                var busy = 0;
                for (var core = 1; core <= cores; core++)
                {
                    if (Usage(previous, cpu, core) > 20)
                    {
                        busy++;
                    }
                }

                values["system/cpu/parallelization (%)"] = cores > 0 ? busy * 100.0 / cores : 0;
            }

            _previousCpu = cpu;
        }

        if (ReadMemory() is { } memory)
        {
            var used = memory.Total - memory.Available;
            values["system/ram/usage (%)"] = memory.Total > 0 ? used * 100.0 / memory.Total : 0;
            values["system/ram/usage (GB)"] = used / Gb;
        }

        foreach (var (name, path) in directories)
        {
            try
            {
                var drive = new DriveInfo(path);
                var usedBytes = drive.TotalSize - drive.AvailableFreeSpace;
                values[$"system/disk/usage (%)/{name}"] = drive.TotalSize > 0 ? usedBytes * 100.0 / drive.TotalSize : 0;
                values[$"system/disk/usage (GB)/{name}"] = usedBytes / Gb;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // A folder that disappeared is simply not sampled.
            }
        }

        return values;
    }

    /// <summary>The values logged once, to the summary only.</summary>
    public static Dictionary<string, double> Totals(IReadOnlyDictionary<string, string> directories)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["system/cpu/count"] = Environment.ProcessorCount };
        if (ReadMemory() is { } memory)
        {
            values["system/ram/total (GB)"] = memory.Total / Gb;
        }

        foreach (var (name, path) in directories)
        {
            try
            {
                values[$"system/disk/total (GB)/{name}"] = new DriveInfo(path).TotalSize / Gb;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // Not available: not logged.
            }
        }

        return values;
    }

    private static double Usage(ulong[] before, ulong[] after, int index)
    {
        var total = after[index * 2] - before[index * 2];
        var idle = after[(index * 2) + 1] - before[(index * 2) + 1];
        return total == 0 ? 0 : (total - idle) * 100.0 / total;
    }

    // Pairs (total, idle) jiffies: the aggregate line, then one per core.
    private static ulong[]? ReadCpuTimes()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var result = new List<ulong>();
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                break;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => ulong.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            ulong total = 0;
            foreach (var f in fields)
            {
                total += f;
            }

            result.Add(total);
            result.Add(fields[3] + (fields.Length > 4 ? fields[4] : 0));
        }

        return [.. result];
    }

    private static (long Total, long Available)? ReadMemory()
    {
        if (File.Exists("/proc/meminfo"))
        {
            long total = 0, available = 0;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    if (parts[0] == "MemTotal:")
                    {
                        total = kb * 1024;
                    }
                    else if (parts[0] == "MemAvailable:")
                    {
                        available = kb * 1024;
                    }
                }
            }

            return (total, available);
        }

        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes > 0 ? (info.TotalAvailableMemoryBytes, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes) : null;
    }
}
