namespace Stepwise.TensorBoard.Model;

/// <summary>Type of a hyperparameter in the hparams plugin's experiment summary.</summary>
public enum HParamType
{
    /// <summary>Not set.</summary>
    Unset = 0,

    /// <summary>Text.</summary>
    String = 1,

    /// <summary>Boolean.</summary>
    Bool = 2,

    /// <summary>Number (every integer and floating-point value).</summary>
    Float64 = 3,
}
