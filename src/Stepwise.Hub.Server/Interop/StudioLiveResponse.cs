namespace Stepwise.Hub.Server.Interop;

/// <summary>What <c>POST /api/live</c> answers (DVC Studio clients only look at the status code).</summary>
/// <param name="RunId">The Hub run the event went to.</param>
/// <param name="Project">The run's project.</param>
/// <param name="Created">True when this event created the run.</param>
internal sealed record StudioLiveResponse(string RunId, string Project, bool Created);
