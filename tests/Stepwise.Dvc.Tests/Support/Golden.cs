using System.Text;
using System.Text.RegularExpressions;
using Stepwise.Imaging;

namespace Stepwise.Dvc.Tests.Support;

/// <summary>The reference outputs of dvclive 3.49 and the comparisons the golden README prescribes.</summary>
internal static partial class Golden
{
    /// <summary>The folder holding <c>shared/golden</c>, found by walking up from the test binaries.</summary>
    public static string Dir(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "golden")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new DirectoryNotFoundException("shared/golden not found above " + AppContext.BaseDirectory);
        }

        return Path.Combine([dir.FullName, "shared", "golden", "dvclive", .. parts]);
    }

    /// <summary>Files of a golden scenario's output, relative, '/'-separated.</summary>
    public static List<string> Files(string outputDir) =>
        Directory.EnumerateFiles(outputDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(outputDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Our output files, ignoring Git/DVC internals.</summary>
    public static List<string> OurFiles(string dir) =>
        Files(dir).Where(f => !f.StartsWith(".git/", StringComparison.Ordinal) && !f.StartsWith(".dvc/", StringComparison.Ordinal)).ToList();

    /// <summary>Compares one file per the golden README (bytes; PNG pixels; reports with image payloads replaced).</summary>
    public static void AssertFileMatches(string expectedPath, string actualPath, string relative)
    {
        Assert.True(File.Exists(actualPath), $"missing output file {relative}");
        var expected = File.ReadAllBytes(expectedPath);
        var actual = File.ReadAllBytes(actualPath);
        if (relative.EndsWith(".png", StringComparison.Ordinal))
        {
            AssertSamePixels(expected, actual, relative);
            return;
        }

        if (relative.EndsWith("report.html", StringComparison.Ordinal) || relative.EndsWith("report.md", StringComparison.Ordinal))
        {
            var (expectedText, expectedImages) = StripImages(Encoding.UTF8.GetString(expected));
            var (actualText, actualImages) = StripImages(Encoding.UTF8.GetString(actual));
            Assert.Equal(expectedText, actualText);
            Assert.Equal(expectedImages.Count, actualImages.Count);
            for (var i = 0; i < expectedImages.Count; i++)
            {
                AssertSamePixels(expectedImages[i], actualImages[i], relative + " image " + i);
            }

            return;
        }

        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Fail($"{relative}: bytes differ");
        }
    }

    public static void AssertSamePixels(byte[] expected, byte[] actual, string what)
    {
        var a = Png.Decode(expected);
        var b = Png.Decode(actual);
        Assert.True(a.Width == b.Width && a.Height == b.Height, $"{what}: size {b.Width}x{b.Height}, expected {a.Width}x{a.Height}");
        Assert.True(a.ToRgb().Pixels.AsSpan().SequenceEqual(b.ToRgb().Pixels), $"{what}: pixels differ");
    }

    private static (string Text, List<byte[]> Images) StripImages(string text)
    {
        var images = new List<byte[]>();
        var stripped = ImagePayload().Replace(text, m =>
        {
            images.Add(Convert.FromBase64String(m.Groups[2].Value));
            return m.Groups[1].Value + "<image>";
        });
        return (stripped, images);
    }

    [GeneratedRegex(@"(data:image(?:/png)?;base64,)([A-Za-z0-9+/=]+)")]
    private static partial Regex ImagePayload();
}
