using System.Globalization;
using System.Text;

namespace Stepwise.Engine;

/// <summary>
/// A progress line like the reference's: <c>prefix: 42% ━━━━━─────── 5/12 3.1it/s 0.4s</c>, redrawn
/// in place (<c>\r</c> + erase-line) on a terminal, written once when finished otherwise.
/// </summary>
internal sealed class ProgressLine(TextWriter? writer, bool terminal, TimeProvider time)
{
    private const int BarWidth = 12;
    private long _start = time.GetTimestamp();
    private int _lastPercent = -1;

    public void Restart()
    {
        _start = time.GetTimestamp();
        _lastPercent = -1;
    }

    public void Update(string prefix, int done, int total)
    {
        if (writer is null)
        {
            return;
        }

        bool final = done >= total;
        int percent = total == 0 ? 100 : (int)(100L * done / total);
        if (!final && (!terminal || percent == _lastPercent))
        {
            return;
        }

        _lastPercent = percent;
        double elapsed = time.GetElapsedTime(_start).TotalSeconds;
        double rate = elapsed > 0 ? done / elapsed : 0;
        int filled = total == 0 ? BarWidth : (int)((long)BarWidth * done / total);
        var sb = new StringBuilder();
        if (terminal)
        {
            sb.Append('\r');
        }

        sb.Append(prefix).Append(": ")
          .Append(percent.ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append("% ")
          .Append(new string('━', filled)).Append(new string('─', BarWidth - filled)).Append(' ')
          .Append(done.ToString(CultureInfo.InvariantCulture)).Append('/').Append(total.ToString(CultureInfo.InvariantCulture)).Append(' ')
          .Append(rate.ToString("0.0", CultureInfo.InvariantCulture)).Append("it/s ")
          .Append(elapsed.ToString("0.0", CultureInfo.InvariantCulture)).Append('s');
        if (terminal)
        {
            sb.Append("\u001b[K");
        }

        if (final)
        {
            sb.Append('\n');
        }

        writer.Write(sb.ToString());
        writer.Flush();
    }
}
