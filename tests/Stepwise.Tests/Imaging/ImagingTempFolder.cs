namespace Stepwise.Tests.Imaging;

/// <summary>A fresh folder under the system temp directory, deleted on dispose.</summary>
internal sealed class ImagingTempFolder : IDisposable
{
    public ImagingTempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stepwise-imaging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
