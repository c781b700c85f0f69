namespace Stepwise.Callbacks;

/// <summary>A registered handler as listed by <see cref="CallbackRegistry.Handlers"/>.</summary>
/// <param name="Name">The handler's name (integration name or method name).</param>
/// <param name="Kind">User or integration.</param>
/// <param name="Order">Its explicit order (0 when none was given).</param>
/// <param name="Disabled">True when an integration handler was disabled after repeated failures.</param>
/// <param name="IsDefault">True when it belongs to the registry's defaults.</param>
public sealed record CallbackInfo(string Name, CallbackKind Kind, int Order, bool Disabled, bool IsDefault);
