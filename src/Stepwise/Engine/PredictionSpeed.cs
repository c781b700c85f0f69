namespace Stepwise.Engine;

/// <summary>Time spent on one input, in milliseconds (its batch's time divided by the batch size).</summary>
/// <param name="PreprocessMs">Decoding and conversion to the model's input (gray, resize, scale).</param>
/// <param name="InferenceMs">The model's forward pass.</param>
/// <param name="PostprocessMs">Ranking classes and building the result.</param>
public sealed record PredictionSpeed(double PreprocessMs, double InferenceMs, double PostprocessMs);
