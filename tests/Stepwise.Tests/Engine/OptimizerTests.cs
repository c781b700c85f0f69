using Stepwise.Engine;
using Stepwise.Tasks;

namespace Stepwise.Tests.Engine;

public class OptimizerTests
{
    private static ParameterSlot Slot(ParameterGroupKind group, params float[] values)
    {
        var slot = new ParameterSlot("w", [values.Length], values, group);
        return slot;
    }

    [Fact]
    public void Sgd_with_nesterov_momentum_and_decay_follows_the_pytorch_update_rule()
    {
        // 9 values so both the vector lanes and the scalar tail are exercised.
        var values = Enumerable.Range(1, 9).Select(i => i * 0.5f).ToArray();
        var slot = Slot(ParameterGroupKind.WeightsWithDecay, (float[])values.Clone());
        var sgd = new SgdOptimizer([slot], lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true);
        var buf = new float[9];
        var p = (float[])values.Clone();
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < 9; i++)
            {
                slot.Grad[i] = (i + 1) * 0.1f * (step + 1);
            }

            sgd.Step();
            for (int i = 0; i < 9; i++)
            {
                float g = slot.Grad[i] + (0.01f * p[i]);
                buf[i] = (0.9f * buf[i]) + g;
                p[i] -= 0.1f * (g + (0.9f * buf[i]));
            }
        }

        Assert.Equal(p, slot.Data);
        Assert.Equal(3, sgd.Steps);
    }

    [Fact]
    public void AdamW_follows_the_pytorch_update_rule_with_decoupled_decay()
    {
        var slot = Slot(ParameterGroupKind.WeightsWithDecay, 1f, -2f, 3f, 0.5f, 0.25f, -1f, 2f, 4f, -3f, 1.5f);
        var adam = new AdamWOptimizer([slot], lr: 0.01, beta1: 0.9, weightDecay: 0.1);
        double[] p = [.. slot.Data.Select(v => (double)v)];
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int step = 1; step <= 2; step++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                slot.Grad[i] = (float)(0.1 * (i - 4) * step);
            }

            adam.Step();
            for (int i = 0; i < p.Length; i++)
            {
                double g = slot.Grad[i];
                p[i] *= 1 - (0.01 * 0.1);
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                double mh = m[i] / (1 - Math.Pow(0.9, step));
                double denom = (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, step))) + 1e-8;
                p[i] -= 0.01 * mh / denom * (1 - Math.Pow(0.9, step)) / (1 - Math.Pow(0.9, step));
            }
        }

        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(p[i], slot.Data[i], 1e-5);
        }
    }

    [Fact]
    public void Only_weights_with_decay_are_decayed()
    {
        var bias = Slot(ParameterGroupKind.Biases, 1f);
        var weight = Slot(ParameterGroupKind.WeightsWithDecay, 1f);
        var sgd = new SgdOptimizer([bias, weight], lr: 0.1, momentum: 0, weightDecay: 0.5, nesterov: false);
        sgd.Step();
        Assert.Equal(1f, bias.Data[0]);
        Assert.Equal(1f - (0.1f * 0.5f), weight.Data[0]);
        Assert.Equal([1, 0, 1], sgd.GroupCounts());
    }

    [Fact]
    public void Schedule_warms_up_per_iteration_then_decays_linearly_or_by_cosine_to_lrf()
    {
        var slot = Slot(ParameterGroupKind.WeightsWithDecay, 1f);
        var opt = new SgdOptimizer([slot], 0.1, 0.9, 0, false);
        var linear = new LrSchedule(lr0: 0.1, lrf: 0.01, epochs: 10, cosine: false, warmupIterations: 4, momentum: 0.9, warmupMomentum: 0.8, warmupBiasLr: 0.1);
        linear.Apply(opt, epoch: 0, ni: 0);
        Assert.Equal(0.0, opt.GroupLr[0]);
        Assert.Equal(0.1, opt.GroupLr[2]);
        Assert.Equal(0.8, opt.GroupMomentum[0], 12);
        linear.Apply(opt, epoch: 0, ni: 2);
        Assert.Equal(0.05, opt.GroupLr[0], 12);
        Assert.Equal(0.85, opt.GroupMomentum[0], 12);
        linear.Apply(opt, epoch: 5, ni: 100);
        Assert.Equal(0.1 * ((0.5 * 0.99) + 0.01), opt.GroupLr[0], 12);
        Assert.Equal(0.9, opt.GroupMomentum[1]);
        Assert.Equal(0.01, linear.Factor(10), 12);
        var cosine = new LrSchedule(0.1, 0.01, 10, cosine: true, 0, 0.9, 0.8, 0.1);
        Assert.Equal(1.0, cosine.Factor(0), 12);
        Assert.Equal(0.505, cosine.Factor(5), 12);
        Assert.Equal(0.01, cosine.Factor(10), 12);
    }

    [Fact]
    public void Early_stopping_counts_epochs_without_improvement_and_round_trips_its_state()
    {
        var stopper = new EarlyStopping(patience: 2);
        Assert.False(stopper.Update(0, 0.5));
        Assert.False(stopper.Update(1, 0.4));
        Assert.True(stopper.PossibleStop);
        var restored = new EarlyStopping(2);
        restored.Restore(stopper.Save());
        Assert.True(restored.Update(2, 0.3));
        Assert.Equal(0, restored.BestEpoch);
        Assert.False(new EarlyStopping(0).Update(500, 0));
    }

    [Fact]
    public void Confusion_matrix_normalises_rows_and_keeps_empty_rows_zero()
    {
        var cm = new ConfusionMatrix(["a", "b", "c"]);
        cm.Add(0, 0);
        cm.Add(0, 1);
        cm.Add(1, 1);
        var n = cm.Normalized();
        Assert.Equal(0.5, n[0, 0]);
        Assert.Equal(0.5, n[0, 1]);
        Assert.Equal(1.0, n[1, 1]);
        Assert.Equal(0.0, n[2, 2]);
        Assert.Equal(3, cm.Total);
    }
}
