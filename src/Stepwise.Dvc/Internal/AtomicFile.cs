using System.Text;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// Replaces files whole: the new content goes to a temporary sibling that is then renamed over the
/// target, so a reader (or a crash) never sees a half-written file.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Suffix of the temporary siblings (left only by a crash between write and rename).</summary>
    public const string TempSuffix = ".swtmp";

    /// <summary>Writes UTF-8 text (no BOM), converting <c>\n</c> to the platform newline.</summary>
    public static void WriteText(string path, string text)
    {
        if (!string.Equals(Environment.NewLine, "\n", StringComparison.Ordinal))
        {
            text = text.Replace("\n", Environment.NewLine, StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        WriteBytes(path, bytes);
    }

    /// <summary>Writes bytes.</summary>
    public static void WriteBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + TempSuffix;
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
        }

        File.Move(temp, path, overwrite: true);
    }
}
