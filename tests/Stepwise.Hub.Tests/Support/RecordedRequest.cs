using System.Text;

namespace Stepwise.Hub.Tests.Support;

/// <summary>A request as the fault server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
