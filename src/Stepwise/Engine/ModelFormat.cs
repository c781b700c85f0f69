namespace Stepwise.Engine;

/// <summary>The kind of file a model was loaded from.</summary>
public enum ModelFormat
{
    /// <summary>A training checkpoint (<c>weights/best.safetensors</c>, <c>last.safetensors</c>): weights, optimizer state, run state.</summary>
    Checkpoint,

    /// <summary>Weights only, written by <c>stepwise export format=safetensors</c>.</summary>
    SafeTensors,

    /// <summary>An ONNX model written by <c>stepwise export format=onnx</c>.</summary>
    Onnx,
}
