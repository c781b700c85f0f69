namespace Stepwise.Callbacks;

/// <summary>Who registered a handler, which decides its exception policy and rank gating.</summary>
public enum CallbackKind
{
    /// <summary>A user's handler: exceptions propagate and stop the engine; runs on every rank.</summary>
    User,

    /// <summary>
    /// A logger integration's handler: exceptions are logged as warnings and the run goes on; after
    /// repeated consecutive failures the handler is disabled. Runs only on the primary rank.
    /// </summary>
    Integration,
}
