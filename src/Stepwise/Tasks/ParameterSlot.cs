namespace Stepwise.Tasks;

/// <summary>A trainable tensor, its gradient and its optimizer parameter group.</summary>
internal sealed class ParameterSlot(string name, int[] shape, float[] data, ParameterGroupKind group)
{
    public string Name { get; } = name;

    public int[] Shape { get; } = shape;

    public float[] Data { get; } = data;

    public float[] Grad { get; } = new float[data.Length];

    public ParameterGroupKind Group { get; } = group;
}
