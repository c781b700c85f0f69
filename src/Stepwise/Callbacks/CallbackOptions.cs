namespace Stepwise.Callbacks;

/// <summary>How one handler is registered.</summary>
public sealed record CallbackOptions
{
    /// <summary>User (propagating) or integration (isolated, rank-gated). Default: user.</summary>
    public CallbackKind Kind { get; init; } = CallbackKind.User;

    /// <summary>
    /// Explicit position: handlers run by ascending order, then by registration. Handlers without an
    /// explicit order have order 0, so a negative order runs before them and a positive one after.
    /// </summary>
    public int Order { get; init; }

    /// <summary>A name for warnings and listings, e.g. the integration name <c>dvc</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Options for an isolated integration handler with the given name.</summary>
    /// <param name="name">The integration's name, used in warnings.</param>
    /// <param name="order">Explicit order, 0 by default.</param>
    /// <returns>The options.</returns>
    public static CallbackOptions Integration(string name, int order = 0) =>
        new() { Kind = CallbackKind.Integration, Name = name, Order = order };
}
