namespace Stepwise.Tasks;

/// <summary>A named float tensor (row-major).</summary>
/// <param name="Name">Parameter name, e.g. <c>fc1.weight</c>.</param>
/// <param name="Shape">Dimensions, PyTorch order (<c>[out, in]</c> for a linear weight).</param>
/// <param name="Data">The values. For model parameters this is the live buffer: copy it to keep a snapshot.</param>
public sealed record NamedTensor(string Name, IReadOnlyList<int> Shape, float[] Data);
