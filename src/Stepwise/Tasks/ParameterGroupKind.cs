namespace Stepwise.Tasks;

/// <summary>The three optimizer parameter groups, numbered as loggers report them (<c>lr/pg0</c> …).</summary>
public enum ParameterGroupKind
{
    /// <summary><c>pg0</c>: weights that take weight decay.</summary>
    WeightsWithDecay = 0,

    /// <summary><c>pg1</c>: weights without weight decay (normalisation scales; empty for a plain MLP).</summary>
    WeightsWithoutDecay = 1,

    /// <summary><c>pg2</c>: biases (never decayed).</summary>
    Biases = 2,
}
