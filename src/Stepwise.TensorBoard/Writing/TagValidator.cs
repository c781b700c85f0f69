using System.Globalization;
using System.Text;

namespace Stepwise.TensorBoard.Writing;

/// <summary>Checks tags: not empty; only letters, digits and <c>_ - . /</c>; not starting with <c>/</c>.</summary>
internal static class TagValidator
{
    public static string Check(string tag, bool sanitize, string parameter = "tag")
    {
        ArgumentNullException.ThrowIfNull(tag, parameter);
        if (tag.Length == 0 || string.IsNullOrWhiteSpace(tag))
        {
            throw new ArgumentException("A tag must not be empty.", parameter);
        }

        int bad = FirstInvalid(tag);
        if (bad < 0 && tag[0] != '/')
        {
            return tag;
        }

        if (!sanitize)
        {
            if (bad < 0)
            {
                throw new ArgumentException($"Tag '{tag}' starts with '/'; TensorBoard tags are relative names like 'train/loss'.", parameter);
            }

            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Tag '{tag}': character '{tag[bad]}' (U+{(int)tag[bad]:X4}) at index {bad} is not allowed; TensorBoard tags use letters, digits and '_', '-', '.', '/'. Set SanitizeTags to replace such characters with '_' as tensorboardX does."),
                parameter);
        }

        return Sanitize(tag);
    }

    /// <summary>tensorboardX's tag clean-up: characters outside [-/\w.] become '_', leading '/' removed.</summary>
    public static string Sanitize(string tag)
    {
        var sb = new StringBuilder(tag.Length);
        foreach (char c in tag)
        {
            sb.Append(IsAllowed(c) ? c : '_');
        }

        string result = sb.ToString().TrimStart('/');
        if (result.Length == 0)
        {
            throw new ArgumentException($"Tag '{tag}' is empty after removing its leading '/'.", nameof(tag));
        }

        return result;
    }

    private static int FirstInvalid(string tag)
    {
        for (int i = 0; i < tag.Length; i++)
        {
            if (!IsAllowed(tag[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.' or '/'
        || (c > 127 && char.IsLetterOrDigit(c));
}
