using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    /// <summary>
    /// Logs a file or folder as an artifact: optionally copied into <c>artifacts/</c>, cached with DVC
    /// (<c>.dvc</c> file, .gitignore line, cache objects), and — when any metadata is given — listed in
    /// the <c>artifacts</c> section of dvc.yaml under <paramref name="name"/> (or the file stem).
    /// </summary>
    /// <param name="path">File or folder, relative to the working directory.</param>
    /// <param name="type">Artifact type, e.g. <c>model</c>.</param>
    /// <param name="name">Artifact id (letters, digits, <c>-</c>, <c>_</c>, <c>/</c>); default: the file stem.</param>
    /// <param name="desc">Description.</param>
    /// <param name="labels">Labels.</param>
    /// <param name="meta">Free-form metadata (YAML-representable values).</param>
    /// <param name="copy">Copy into <c>&lt;dir&gt;/artifacts/</c> first and log the copy.</param>
    /// <param name="cache">Cache with DVC (needs a DVC repository).</param>
    public void LogArtifact(
        string path,
        string? type = null,
        string? name = null,
        string? desc = null,
        IReadOnlyList<string>? labels = null,
        IReadOnlyDictionary<string, object?>? meta = null,
        bool copy = false,
        bool cache = true)
    {
        ThrowIfDisposed();
        if (path is null)
        {
            throw new InvalidDataTypeException("Data 'path' has not supported type <class 'NoneType'>");
        }

        object? normalizedMeta = null;
        if (meta is not null && !LiveValues.TryNormalize(meta, "meta", out normalizedMeta, out var badPath))
        {
            throw new InvalidParameterTypeException($"cannot represent an object: artifact metadata '{badPath}.");
        }

        if (_dvcRoot is null)
        {
            _logger.LogWarning("A DVC repo is required to log artifacts");
            return;
        }

        var full = Path.GetFullPath(Path.Combine(_cwd, path));
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new FileNotFoundException($"Cannot log artifact '{path}': it does not exist.", full);
        }

        if (copy)
        {
            var target = Path.Combine(ArtifactsDir, Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)));
            Directory.CreateDirectory(ArtifactsDir);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            if (Directory.Exists(full))
            {
                CopyDirectory(full, target);
            }
            else
            {
                File.Copy(full, target, overwrite: true);
            }

            full = target;
        }

        if (cache && !(_insidePipeline && IsStageOutput(full)))
        {
            Cache(full);
        }

        if (type is null && name is null && desc is null && labels is null && meta is null)
        {
            return;
        }

        var id = name ?? Path.GetFileNameWithoutExtension(full.TrimEnd(Path.DirectorySeparatorChar));
        if (!ArtifactId().IsMatch(id))
        {
            _logger.LogWarning("Can't use '{Id}' as artifact name (ID). It will not be included in the `artifacts` section.", id);
            return;
        }

        var entry = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["path"] = RelativePosix(_cwd, full) };
        if (type is not null)
        {
            entry["type"] = type;
        }

        if (desc is not null)
        {
            entry["desc"] = desc;
        }

        if (labels is not null)
        {
            entry["labels"] = labels.Cast<object?>().ToList();
        }

        if (normalizedMeta is not null)
        {
            entry["meta"] = normalizedMeta;
        }

        _artifacts[id] = entry;
        _dvcYamlDirty = true;
    }

    private static bool IsStageOutput(string full)
    {
        // Without DVC's pipeline model, only an existing .dvc file next to the target marks it as already tracked.
        return File.Exists(full + ".dvc");
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-/_]*[a-zA-Z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ArtifactId();
}
