namespace Stepwise.Tasks;

/// <summary>One layer of a model as loggers draw it in a graph.</summary>
/// <param name="Name">Layer name, e.g. <c>fc1</c>.</param>
/// <param name="Kind">One of <c>Flatten</c>, <c>Linear</c>, <c>ReLU</c>, <c>Dropout</c>, <c>Softmax</c>.</param>
/// <param name="InputShape">Per-sample input shape.</param>
/// <param name="OutputShape">Per-sample output shape.</param>
/// <param name="Parameters">Number of trainable values in the layer.</param>
public sealed record LayerInfo(string Name, string Kind, IReadOnlyList<int> InputShape, IReadOnlyList<int> OutputShape, long Parameters);
