using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>Base of the optimizers: three parameter groups (<c>pg0</c>..<c>pg2</c>) with their own lr, momentum and decay.</summary>
internal abstract class Optimizer
{
    protected Optimizer(IReadOnlyList<ParameterSlot> slots, double lr, double momentum, double weightDecay)
    {
        Slots = slots;
        for (int g = 0; g < 3; g++)
        {
            GroupLr[g] = lr;
            GroupMomentum[g] = momentum;
        }

        // Only pg0 (weights with decay) is decayed; pg1 and biases never are.
        GroupDecay[(int)ParameterGroupKind.WeightsWithDecay] = weightDecay;
    }

    /// <summary>Display name as in args (<c>SGD</c>, <c>AdamW</c>).</summary>
    public abstract string Name { get; }

    public double[] GroupLr { get; } = new double[3];

    public double[] GroupMomentum { get; } = new double[3];

    public double[] GroupDecay { get; } = new double[3];

    /// <summary>Number of completed steps.</summary>
    public long Steps { get; set; }

    protected IReadOnlyList<ParameterSlot> Slots { get; }

    /// <summary>Parameter counts per group, for the console summary.</summary>
    public int[] GroupCounts()
    {
        var counts = new int[3];
        foreach (var s in Slots)
        {
            counts[(int)s.Group]++;
        }

        return counts;
    }

    /// <summary>Updates every parameter from its gradient.</summary>
    public void Step()
    {
        Steps++;
        foreach (var slot in Slots)
        {
            int g = (int)slot.Group;
            Update(slot, (float)GroupLr[g], (float)GroupMomentum[g], (float)GroupDecay[g]);
        }
    }

    public void ZeroGrad()
    {
        foreach (var slot in Slots)
        {
            Array.Clear(slot.Grad);
        }
    }

    /// <summary>Named state buffers (moment estimates) saved in checkpoints; restored in place.</summary>
    public abstract IEnumerable<(string Name, float[] Buffer)> StateBuffers();

    protected abstract void Update(ParameterSlot slot, float lr, float momentum, float decay);
}
