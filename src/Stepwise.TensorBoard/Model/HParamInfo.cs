namespace Stepwise.TensorBoard.Model;

/// <summary>One hyperparameter column of the experiment summary.</summary>
/// <param name="Name">Hyperparameter name.</param>
/// <param name="Type">Its type.</param>
public sealed record HParamInfo(string Name, HParamType Type);
