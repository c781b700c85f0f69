namespace Stepwise.Hub.Session;

/// <summary>Progress of an upload: bytes of the file sent so far out of its size.</summary>
/// <param name="Sent">Bytes sent in the current attempt.</param>
/// <param name="Total">The file's size.</param>
public readonly record struct HubUploadProgress(long Sent, long Total);
