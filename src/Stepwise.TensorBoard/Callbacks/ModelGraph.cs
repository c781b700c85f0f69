using System.Globalization;
using Stepwise.TensorBoard.Model;
using Stepwise.Tasks;

namespace Stepwise.TensorBoard.Callbacks;

/// <summary>
/// Describes a layer stack as a graph in the style of a PyTorch trace: <c>input/input</c> → one node per
/// layer (with weight and bias parameter nodes for linear layers) → <c>output/output</c>, every node
/// carrying its output shape, so the Graphs dashboard draws the model with edge shapes.
/// </summary>
public static class ModelGraph
{
    /// <summary>Builds the graph of a layer stack.</summary>
    /// <param name="layers">The layers in order.</param>
    /// <param name="modelName">Top scope name, e.g. <c>MlpClassifier</c>.</param>
    /// <param name="batch">Batch size shown in the shapes.</param>
    /// <returns>The graph.</returns>
    public static GraphDefinition FromLayers(IReadOnlyList<LayerInfo> layers, string modelName = "MlpClassifier", int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        if (layers.Count == 0)
        {
            throw new ArgumentException("A graph needs at least one layer.", nameof(layers));
        }

        var nodes = new List<GraphNode>();
        string previous = "input/input";
        nodes.Add(new GraphNode { Name = previous, Op = "IO Node", Attributes = [Shape([batch, .. layers[0].InputShape.Select(d => (long)d)])] });
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string scope = $"{modelName}/{layer.Kind}[{layer.Name}]";
            var inputs = new List<string> { previous };
            if (layer.Kind == "Linear" && layer.InputShape.Count > 0 && layer.OutputShape.Count > 0)
            {
                long inputs0 = layer.InputShape[0];
                long outputs0 = layer.OutputShape[0];
                nodes.Add(new GraphNode { Name = scope + "/weight", Op = "Parameter", Attributes = [Shape(outputs0, inputs0)] });
                nodes.Add(new GraphNode { Name = scope + "/bias", Op = "Parameter", Attributes = [Shape(outputs0)] });
                inputs.Add(scope + "/weight");
                inputs.Add(scope + "/bias");
            }

            string name = scope + "/output";
            nodes.Add(new GraphNode
            {
                Name = name,
                Op = layer.Kind,
                Inputs = inputs,
                Attributes =
                [
                    Shape([batch, .. layer.OutputShape.Select(d => (long)d)]),
                    new GraphAttribute { Name = "attr", Text = string.Create(CultureInfo.InvariantCulture, $"{{ parameters : {layer.Parameters} }}") },
                ],
            });
            previous = name;
        }

        nodes.Add(new GraphNode { Name = "output/output", Op = "IO Node", Inputs = [previous], Attributes = [Shape([batch, .. layers[^1].OutputShape.Select(d => (long)d)])] });
        return new GraphDefinition { Nodes = nodes };
    }

    private static GraphAttribute Shape(params long[] dims) => new() { Name = "_output_shapes", Shapes = [dims] };
}
