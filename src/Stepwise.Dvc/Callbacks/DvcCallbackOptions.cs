using Stepwise.Engine;

namespace Stepwise.Dvc;

/// <summary>Options of <see cref="DvcCallbacks"/>.</summary>
public sealed class DvcCallbackOptions
{
    /// <summary>
    /// Builds the <see cref="Live"/> options for a run. By default: folder <c>dvclive</c> and
    /// <c>dvc.yaml</c> in the current directory, experiment saving and image caching on (as the
    /// reference's callbacks do), resume when the trainer resumes, the trainer's clock and logger.
    /// </summary>
    public Func<Trainer, LiveOptions>? CreateLiveOptions { get; init; }

    /// <summary>The default options for a trainer.</summary>
    /// <param name="trainer">The trainer starting.</param>
    public static LiveOptions DefaultLiveOptions(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return new LiveOptions
        {
            SaveDvcExp = true,
            CacheImages = true,
            Resume = trainer.Args.Resume,
            TimeProvider = trainer.Time,
            Logger = trainer.Logger,
        };
    }
}
