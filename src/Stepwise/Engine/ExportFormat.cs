namespace Stepwise.Engine;

/// <summary>Formats the <see cref="Exporter"/> writes.</summary>
public enum ExportFormat
{
    /// <summary>An ONNX model (opset 17): <c>&lt;weights&gt;.onnx</c>.</summary>
    Onnx,

    /// <summary>Weights only, with class names, input size and architecture in the metadata: <c>&lt;weights&gt;.weights.safetensors</c>.</summary>
    SafeTensors,
}
