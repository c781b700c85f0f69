using System.Runtime.InteropServices;
using System.Text;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// Replaces files whole: the new content goes to a fresh temporary sibling that then takes the
/// target's place in one step, so a reader (or a killed process) never sees a half-written file.
/// </summary>
/// <remarks>
/// On Linux the swap is <c>renameat2(RENAME_EXCHANGE)</c> followed by deleting the old content: ext4
/// makes a rename <em>over an existing file</em> start writing the new data back to disk at once,
/// which on a busy disk costs up to a millisecond per call, 20 times the exchange. Other systems, and
/// file systems without exchange support, use an ordinary replacing rename.
/// </remarks>
internal static partial class AtomicFile
{
    /// <summary>Suffix of the temporary siblings (left only by a process killed between write and swap).</summary>
    public const string TempSuffix = ".swtmp";

    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;
    private static long _counter;
    private static volatile bool _exchangeUnsupported = !OperatingSystem.IsLinux();

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
        // A new name per write: creating a fresh file is cheaper than truncating a reused one.
        var temp = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-"
            + Interlocked.Increment(ref _counter).ToString(System.Globalization.CultureInfo.InvariantCulture) + TempSuffix;
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                RandomAccess.Write(handle, bytes, 0);
            }

            if (!_exchangeUnsupported)
            {
                if (RenameAt2(AtFdCwd, temp, AtFdCwd, path, RenameExchange) == 0)
                {
                    File.Delete(temp);
                    return;
                }

                // ENOENT: no target yet, a plain rename creates it. EINVAL/ENOSYS: file system or
                // kernel without exchange; plain renames from now on.
                if (Marshal.GetLastPInvokeError() is 22 or 38)
                {
                    _exchangeUnsupported = true;
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
