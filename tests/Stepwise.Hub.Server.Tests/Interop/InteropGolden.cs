namespace Stepwise.Hub.Server.Tests.Interop;

/// <summary>Finds the shared golden reference outputs above the test binaries.</summary>
public static class InteropGolden
{
    public static string Path(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(System.IO.Path.Combine(dir.FullName, "shared", "golden")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new DirectoryNotFoundException("shared/golden not found above " + AppContext.BaseDirectory);
        }

        return System.IO.Path.Combine([dir.FullName, "shared", "golden", .. parts]);
    }
}
