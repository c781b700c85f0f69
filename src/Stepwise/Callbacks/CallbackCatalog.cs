using System.Collections.Frozen;
namespace Stepwise.Callbacks;

/// <summary>
/// The closed catalog of events: the 25 events of the reference, the legacy <c>on_batch_end</c> the
/// reference trainer fires, and <c>on_final_eval_end</c>, which Stepwise raises after the final
/// evaluation of the best weights instead of a second <c>on_fit_epoch_end</c>.
/// </summary>
public static class CallbackCatalog
{
    /// <summary>Number of events in the catalog.</summary>
    public const int EventCount = 27;

    private static readonly CallbackEvent[] Events = new CallbackEvent[EventCount];
    private static FrozenDictionary<string, CallbackEvent>? _byName;

    /// <summary>Every event, in declaration order (trainer, validator, predictor, exporter).</summary>
    public static IReadOnlyList<CallbackEvent> All
    {
        get
        {
            EnsureInitialized();
            return Events;
        }
    }

    /// <summary>Looks up an event by its wire name (exact, case-sensitive).</summary>
    /// <param name="wireName">A name such as <c>on_train_start</c>.</param>
    /// <param name="callbackEvent">The event when found.</param>
    /// <returns>True when the name belongs to the catalog.</returns>
    public static bool TryGet(string wireName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CallbackEvent? callbackEvent)
    {
        ArgumentNullException.ThrowIfNull(wireName);
        EnsureInitialized();
        return _byName!.TryGetValue(wireName, out callbackEvent);
    }

    /// <summary>
    /// Looks up an event by its wire name, or throws an <see cref="UnknownCallbackEventException"/>
    /// that lists the closest valid names.
    /// </summary>
    /// <param name="wireName">A name such as <c>on_train_start</c>.</param>
    /// <returns>The event.</returns>
    public static CallbackEvent Get(string wireName)
    {
        if (TryGet(wireName, out var found))
        {
            return found;
        }

        throw new UnknownCallbackEventException(wireName, Suggest(wireName));
    }

    /// <summary>The catalog names closest to <paramref name="name"/>, best first.</summary>
    /// <param name="name">A possibly misspelt event name.</param>
    /// <param name="count">How many suggestions at most.</param>
    /// <returns>Close names by edit distance.</returns>
    public static IReadOnlyList<string> Suggest(string name, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        EnsureInitialized();
        var normalized = name.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        var scored = Events
            .Select(e => (e.WireName, Distance: EditDistance(normalized, e.WireName)))
            .OrderBy(p => p.Distance)
            .ThenBy(p => p.WireName, StringComparer.Ordinal)
            .ToList();
        var limit = Math.Max(3, normalized.Length / 2);
        var close = scored.Where(p => p.Distance <= limit).Take(count).Select(p => p.WireName).ToList();
        return close.Count > 0 ? close : scored.Take(count).Select(p => p.WireName).ToList();
    }

    internal static CallbackEvent<TEngine> Define<TEngine>(string wireName, int index)
        where TEngine : class
    {
        var e = new CallbackEvent<TEngine>(wireName, index);
        Events[index] = e;
        return e;
    }

    private static void EnsureInitialized()
    {
        if (_byName is not null)
        {
            return;
        }

        // Touch each holder so its static fields register in declaration order.
        _ = TrainerEvents.PretrainRoutineStart;
        _ = ValidatorEvents.ValStart;
        _ = PredictorEvents.PredictStart;
        _ = ExporterEvents.ExportStart;
        _byName = Events.ToFrozenDictionary(e => e.WireName, StringComparer.Ordinal);
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
