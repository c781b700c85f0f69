using System.Security.Cryptography;
using System.Text;
using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// What <c>dvc add</c> (DVC 3) writes, natively: the <c>&lt;target&gt;.dvc</c> file, the <c>/&lt;name&gt;</c>
/// line in the sibling .gitignore, and the content-addressed cache objects under
/// <c>.dvc/cache/files/md5/</c> (a directory as a <c>.dir</c> manifest).
/// </summary>
internal static class DvcCache
{
    /// <summary>Adds a file or directory; returns the path of the .dvc file written.</summary>
    public static string Add(string dvcRoot, string target)
    {
        target = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        var cacheDir = Path.Combine(dvcRoot, ".dvc", "cache", "files", "md5");
        var outs = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (Directory.Exists(target))
        {
            var files = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories)
                .Select(f => (Full: f, Rel: Path.GetRelativePath(target, f).Replace('\\', '/')))
                .OrderBy(f => f.Rel, StringComparer.Ordinal)
                .ToList();
            var manifest = new StringBuilder("[");
            long size = 0;
            for (var i = 0; i < files.Count; i++)
            {
                var bytes = File.ReadAllBytes(files[i].Full);
                var md5 = Md5Hex(bytes);
                StoreObject(cacheDir, md5, bytes, suffix: string.Empty);
                size += bytes.Length;
                if (i > 0)
                {
                    manifest.Append(", ");
                }

                manifest.Append("{\"md5\": ");
                PyJson.WriteString(manifest, md5);
                manifest.Append(", \"relpath\": ");
                PyJson.WriteString(manifest, files[i].Rel);
                manifest.Append('}');
            }

            manifest.Append(']');
            var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToString());
            var dirMd5 = Md5Hex(manifestBytes);
            StoreObject(cacheDir, dirMd5, manifestBytes, suffix: ".dir");
            outs["md5"] = dirMd5 + ".dir";
            outs["size"] = size;
            outs["nfiles"] = (long)files.Count;
        }
        else if (File.Exists(target))
        {
            var bytes = File.ReadAllBytes(target);
            var md5 = Md5Hex(bytes);
            StoreObject(cacheDir, md5, bytes, suffix: string.Empty);
            outs["md5"] = md5;
            outs["size"] = (long)bytes.Length;
        }
        else
        {
            throw new FileNotFoundException($"Cannot cache '{target}': it does not exist.", target);
        }

        var name = Path.GetFileName(target);
        outs["hash"] = "md5";
        outs["path"] = name;
        var dvcFile = target + ".dvc";
        var document = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["outs"] = new List<object?> { outs } };
        AtomicFile.WriteText(dvcFile, RuamelYaml.SerializeMapping(document));
        AddGitIgnoreLine(Path.Combine(Path.GetDirectoryName(target)!, ".gitignore"), "/" + name);
        return dvcFile;
    }

    /// <summary>Lowercase hex MD5.</summary>
    public static string Md5Hex(ReadOnlySpan<byte> data)
    {
#pragma warning disable CA5351 // DVC addresses its cache by MD5; this is an identifier, not security.
        return Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351
    }

    private static void StoreObject(string cacheDir, string md5, byte[] bytes, string suffix)
    {
        var path = Path.Combine(cacheDir, md5[..2], md5[2..] + suffix);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteBytes(path, bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    /// <summary>Appends a line to a .gitignore unless present.</summary>
    public static void AddGitIgnoreLine(string gitignore, string line)
    {
        var existing = File.Exists(gitignore) ? File.ReadAllText(gitignore) : string.Empty;
        var lines = existing.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Contains(line, StringComparer.Ordinal))
        {
            return;
        }

        var prefix = existing.Length > 0 && !existing.EndsWith('\n') ? "\n" : string.Empty;
        File.AppendAllText(gitignore, prefix + line + "\n");
    }
}
