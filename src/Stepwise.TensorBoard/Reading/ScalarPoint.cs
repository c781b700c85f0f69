namespace Stepwise.TensorBoard.Reading;

/// <summary>One scalar as read by <see cref="EventFileReader.ReadScalars"/>.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Step">The step.</param>
/// <param name="WallTime">Unix seconds.</param>
/// <param name="Value">The value (float32 values widened).</param>
public readonly record struct ScalarPoint(string Tag, long Step, double WallTime, double Value);
