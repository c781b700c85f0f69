using System.Text;
using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// Builds dvc.yaml: a fresh file in the reference's key order, or a merge into an existing file that
/// replaces only the entries under the Live folder and keeps every other line (the user's stages,
/// entries and comments) as it was.
/// </summary>
internal static class DvcYamlWriter
{
    private static readonly string[] ManagedKeys = ["params", "metrics", "plots", "artifacts"];

    /// <summary>The dvclive part of dvc.yaml.</summary>
    internal sealed class Sections
    {
        public List<object?> Params { get; } = [];

        public List<object?> Metrics { get; } = [];

        public List<object?> Plots { get; } = [];

        public OrderedDictionary<string, object?> Artifacts { get; } = new(StringComparer.Ordinal);

        public object? Get(string key) => key switch
        {
            "params" => Params,
            "metrics" => Metrics,
            "plots" => Plots,
            _ => Artifacts,
        };

        public bool IsEmpty(string key) => key == "artifacts" ? Artifacts.Count == 0 : ((List<object?>)Get(key)!).Count == 0;
    }

    /// <summary>A file written from scratch.</summary>
    public static string Fresh(Sections ours)
    {
        var document = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in ManagedKeys)
        {
            if (!ours.IsEmpty(key))
            {
                document[key] = ours.Get(key);
            }
        }

        return document.Count == 0 ? "{}\n" : RuamelYaml.SerializeMapping(document);
    }

    /// <summary>True when <paramref name="path"/> (as written in dvc.yaml) lies under the prefix segments.</summary>
    public static bool IsUnder(string path, IReadOnlyList<string> prefix)
    {
        var segments = Segments(path);
        if (segments.Count < prefix.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(segments[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Normalised path segments (<c>./a//b</c> → a, b).</summary>
    public static List<string> Segments(string path) =>
        path.Replace('\\', '/').Split('/').Where(s => s.Length > 0 && s != ".").ToList();

    /// <summary>Merges the sections into an existing dvc.yaml text.</summary>
    public static string Merge(string existing, Sections ours, IReadOnlyList<string> prefix)
    {
        var lines = existing.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // Split into a preamble and top-level key blocks.
        var blocks = new List<(string? Key, List<string> Lines)> { (null, []) };
        foreach (var line in lines)
        {
            var key = TopLevelKey(line);
            if (key is not null)
            {
                blocks.Add((key, [line]));
            }
            else
            {
                blocks[^1].Lines.Add(line);
            }
        }

        var output = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, blockLines) in blocks)
        {
            if (key is null || !ManagedKeys.Contains(key) || !seen.Add(key))
            {
                foreach (var line in blockLines)
                {
                    output.Append(line).Append('\n');
                }

                continue;
            }

            output.Append(MergeBlock(key, blockLines, ours, prefix));
        }

        foreach (var key in ManagedKeys)
        {
            if (!seen.Contains(key) && !ours.IsEmpty(key))
            {
                output.Append(RuamelYaml.SerializeMapping(new OrderedDictionary<string, object?>(StringComparer.Ordinal) { [key] = ours.Get(key) }));
            }
        }

        var text = output.ToString();
        return text.Length == 0 ? "{}\n" : text;
    }

    private static string? TopLevelKey(string line)
    {
        if (line.Length == 0 || line[0] is ' ' or '\t' or '#' or '-' or '{' or '[' || line.StartsWith("...", StringComparison.Ordinal))
        {
            return null;
        }

        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || (colon + 1 < line.Length && line[colon + 1] is not (' ' or '\t')))
        {
            return null;
        }

        return line[..colon].Trim().Trim('"', '\'');
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static bool IsBlankOrComment(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');

    private static string MergeBlock(string key, List<string> blockLines, Sections ours, IReadOnlyList<string> prefix)
    {
        var keyLine = blockLines[0];
        var inline = keyLine[(keyLine.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        var isMapping = key == "artifacts";
        var kept = new List<string>();
        var itemIndent = isMapping ? 2 : 0;
        if (inline.Length > 0 && !inline.StartsWith('#'))
        {
            // Flow style (e.g. `params: [a.yaml]`): re-written in block style.
            var parsed = YamlValues.Load(string.Join('\n', blockLines)) as IDictionary<string, object?>;
            var value = parsed is not null && parsed.TryGetValue(key, out var v) ? v : null;
            if (isMapping && value is IDictionary<string, object?> map)
            {
                foreach (var (id, entry) in map)
                {
                    if (KeepArtifact(id, entry, ours, prefix))
                    {
                        kept.Add(RuamelYaml.SerializeEntries([new(id, entry)], itemIndent).TrimEnd('\n'));
                    }
                }
            }
            else if (!isMapping && value is List<object?> list)
            {
                foreach (var entry in list)
                {
                    if (KeepListEntry(entry, prefix))
                    {
                        kept.Add(RuamelYaml.SerializeSequence([entry], itemIndent).TrimEnd('\n'));
                    }
                }
            }

            keyLine = keyLine[..(keyLine.IndexOf(':', StringComparison.Ordinal) + 1)];
        }
        else
        {
            var body = blockLines.Skip(1).ToList();
            var first = body.FindIndex(l => !IsBlankOrComment(l));
            if (first >= 0)
            {
                itemIndent = Indent(body[first]);
            }

            // Group the body lines into items starting at the item indent.
            var items = new List<List<string>>();
            var leading = new List<string>();
            foreach (var line in body)
            {
                var startsItem = !IsBlankOrComment(line) && Indent(line) == itemIndent
                    && (isMapping || line.TrimStart().StartsWith('-'));
                if (startsItem)
                {
                    items.Add([line]);
                }
                else if (items.Count == 0)
                {
                    leading.Add(line);
                }
                else
                {
                    items[^1].Add(line);
                }
            }

            kept.AddRange(leading.Where(l => l.Trim().Length > 0));
            foreach (var item in items)
            {
                var text = string.Join('\n', item.Select(l => l.Length >= itemIndent ? l[itemIndent..] : l.TrimStart()));
                object? parsed;
                try
                {
                    parsed = YamlValues.Load(text);
                }
                catch (YamlDotNet.Core.YamlException)
                {
                    kept.AddRange(item);
                    continue;
                }

                var keep = isMapping
                    ? parsed is not IDictionary<string, object?> m || m.Count != 1 || KeepArtifact(m.Keys.First(), m.Values.First(), ours, prefix)
                    : parsed is not List<object?> l || l.Count != 1 || KeepListEntry(l[0], prefix);
                if (keep)
                {
                    kept.AddRange(item);
                }
            }
        }

        var oursText = ours.IsEmpty(key)
            ? string.Empty
            : isMapping
                ? RuamelYaml.SerializeEntries(ours.Artifacts, itemIndent)
                : RuamelYaml.SerializeSequence((List<object?>)ours.Get(key)!, itemIndent);
        while (kept.Count > 0 && kept[^1].Trim().Length == 0)
        {
            kept.RemoveAt(kept.Count - 1);
        }

        if (kept.Count == 0 && oursText.Length == 0)
        {
            return string.Empty;
        }

        var block = new StringBuilder();
        block.Append(keyLine.TrimEnd()).Append('\n');
        foreach (var line in kept)
        {
            block.Append(line).Append('\n');
        }

        block.Append(oursText);
        return block.ToString();
    }

    private static bool KeepListEntry(object? entry, IReadOnlyList<string> prefix)
    {
        var path = entry switch
        {
            string s => s,
            IDictionary<string, object?> { Count: 1 } map => map.Keys.First(),
            _ => null,
        };
        return path is null || !IsUnder(path, prefix);
    }

    private static bool KeepArtifact(string id, object? entry, Sections ours, IReadOnlyList<string> prefix)
    {
        if (ours.Artifacts.ContainsKey(id))
        {
            return false;
        }

        return entry is IDictionary<string, object?> map && map.TryGetValue("path", out var path) && path is string p && !IsUnder(p, prefix);
    }
}
