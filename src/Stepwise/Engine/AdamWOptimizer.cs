using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>AdamW (decoupled weight decay) with PyTorch's update rule; beta1 is the group momentum.</summary>
internal sealed class AdamWOptimizer : Optimizer
{
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;
    private readonly Dictionary<string, float[]> _m = [];
    private readonly Dictionary<string, float[]> _v = [];

    public AdamWOptimizer(IReadOnlyList<ParameterSlot> slots, double lr, double beta1, double weightDecay)
        : base(slots, lr, beta1, weightDecay)
    {
        foreach (var s in slots)
        {
            _m[s.Name] = new float[s.Data.Length];
            _v[s.Name] = new float[s.Data.Length];
        }
    }

    public override string Name => "AdamW";

    public override IEnumerable<(string Name, float[] Buffer)> StateBuffers() =>
        Slots.Select(s => ("exp_avg." + s.Name, _m[s.Name])).Concat(Slots.Select(s => ("exp_avg_sq." + s.Name, _v[s.Name])));

    protected override void Update(ParameterSlot slot, float lr, float momentum, float decay)
    {
        float[] p = slot.Data;
        float[] grad = slot.Grad;
        float[] m = _m[slot.Name];
        float[] v = _v[slot.Name];
        float beta1 = momentum;
        float bc1 = 1f - MathF.Pow(beta1, Steps);
        float bc2Sqrt = MathF.Sqrt(1f - MathF.Pow(Beta2, Steps));
        float stepSize = lr / bc1;
        float shrink = 1f - (lr * decay);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float pr = ref MemoryMarshal.GetArrayDataReference(p);
            ref float gr = ref MemoryMarshal.GetArrayDataReference(grad);
            ref float mr = ref MemoryMarshal.GetArrayDataReference(m);
            ref float vr = ref MemoryMarshal.GetArrayDataReference(v);
            var vB1 = Vector256.Create(beta1);
            var v1mB1 = Vector256.Create(1f - beta1);
            var vB2 = Vector256.Create(Beta2);
            var v1mB2 = Vector256.Create(1f - Beta2);
            var vShrink = Vector256.Create(shrink);
            var vBc2 = Vector256.Create(bc2Sqrt);
            var vEps = Vector256.Create(Epsilon);
            var vStep = Vector256.Create(stepSize);
            for (; i + 8 <= p.Length; i += 8)
            {
                nuint o = (nuint)i;
                var g = Vector256.LoadUnsafe(ref gr, o);
                var mv = (vB1 * Vector256.LoadUnsafe(ref mr, o)) + (v1mB1 * g);
                var vv = (vB2 * Vector256.LoadUnsafe(ref vr, o)) + (v1mB2 * (g * g));
                mv.StoreUnsafe(ref mr, o);
                vv.StoreUnsafe(ref vr, o);
                var denom = (Vector256.Sqrt(vv) / vBc2) + vEps;
                var pv = Vector256.LoadUnsafe(ref pr, o) * vShrink;
                (pv - (vStep * (mv / denom))).StoreUnsafe(ref pr, o);
            }
        }

        for (; i < p.Length; i++)
        {
            float g = grad[i];
            float mv = (beta1 * m[i]) + ((1f - beta1) * g);
            float vv = (Beta2 * v[i]) + ((1f - Beta2) * (g * g));
            m[i] = mv;
            v[i] = vv;
            float denom = (MathF.Sqrt(vv) / bc2Sqrt) + Epsilon;
            float pv = p[i] * shrink;
            p[i] = pv - (stepSize * (mv / denom));
        }
    }
}
