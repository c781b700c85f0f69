namespace Stepwise.Engine;

/// <summary>One class and the model's confidence in it.</summary>
/// <param name="Index">Class index.</param>
/// <param name="Name">Class name.</param>
/// <param name="Confidence">Probability in 0..1.</param>
public readonly record struct ClassScore(int Index, string Name, float Confidence);
