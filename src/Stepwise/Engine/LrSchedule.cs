namespace Stepwise.Engine;

/// <summary>
/// Learning-rate and momentum schedule: per-iteration linear warm-up, then a per-epoch linear or
/// cosine decay from <c>lr0</c> to <c>lr0·lrf</c>. A pure function of (epoch, iteration) so a
/// resumed run recomputes exactly the same values.
/// </summary>
internal sealed class LrSchedule(double lr0, double lrf, int epochs, bool cosine, int warmupIterations,
    double momentum, double warmupMomentum, double warmupBiasLr)
{
    public int WarmupIterations { get; } = Math.Max(0, warmupIterations);

    /// <summary>Decay factor of an epoch (1 at epoch 0, approaching <c>lrf</c> at <c>epochs</c>).</summary>
    public double Factor(int epoch)
    {
        double x = (double)epoch / Math.Max(1, epochs);
        return cosine
            ? (((1 - Math.Cos(x * Math.PI)) / 2) * (lrf - 1)) + 1
            : ((1 - x) * (1 - lrf)) + lrf;
    }

    /// <summary>Sets group learning rates and momentum for global iteration <paramref name="ni"/> of <paramref name="epoch"/>.</summary>
    public void Apply(Optimizer optimizer, int epoch, long ni)
    {
        double target = lr0 * Factor(epoch);
        for (int g = 0; g < 3; g++)
        {
            if (ni < WarmupIterations)
            {
                // Biases start high (warmup_bias_lr) and come down; weights ramp up from zero.
                double start = g == 2 ? warmupBiasLr : 0.0;
                double t = (double)ni / WarmupIterations;
                optimizer.GroupLr[g] = start + ((target - start) * t);
                optimizer.GroupMomentum[g] = warmupMomentum + ((momentum - warmupMomentum) * t);
            }
            else
            {
                optimizer.GroupLr[g] = target;
                optimizer.GroupMomentum[g] = momentum;
            }
        }
    }
}
