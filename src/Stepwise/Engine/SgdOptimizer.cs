using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>SGD with momentum (optionally Nesterov) and L2 weight decay, as PyTorch's <c>torch.optim.SGD</c>.</summary>
internal sealed class SgdOptimizer : Optimizer
{
    private readonly Dictionary<string, float[]> _buffers = [];

    public SgdOptimizer(IReadOnlyList<ParameterSlot> slots, double lr, double momentum, double weightDecay, bool nesterov)
        : base(slots, lr, momentum, weightDecay)
    {
        Nesterov = nesterov;
        foreach (var s in slots)
        {
            _buffers[s.Name] = new float[s.Data.Length];
        }
    }

    public override string Name => "SGD";

    public bool Nesterov { get; }

    public override IEnumerable<(string Name, float[] Buffer)> StateBuffers() =>
        Slots.Select(s => ("momentum_buffer." + s.Name, _buffers[s.Name]));

    protected override void Update(ParameterSlot slot, float lr, float momentum, float decay)
    {
        float[] p = slot.Data;
        float[] grad = slot.Grad;
        float[] buf = _buffers[slot.Name];
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float pr = ref MemoryMarshal.GetArrayDataReference(p);
            ref float gr = ref MemoryMarshal.GetArrayDataReference(grad);
            ref float br = ref MemoryMarshal.GetArrayDataReference(buf);
            var vLr = Vector256.Create(lr);
            var vMom = Vector256.Create(momentum);
            var vDecay = Vector256.Create(decay);
            for (; i + 8 <= p.Length; i += 8)
            {
                nuint o = (nuint)i;
                var pv = Vector256.LoadUnsafe(ref pr, o);
                var g = Vector256.LoadUnsafe(ref gr, o) + (vDecay * pv);
                var b = (vMom * Vector256.LoadUnsafe(ref br, o)) + g;
                b.StoreUnsafe(ref br, o);
                var d = Nesterov ? g + (vMom * b) : b;
                (pv - (vLr * d)).StoreUnsafe(ref pr, o);
            }
        }

        for (; i < p.Length; i++)
        {
            float g = grad[i] + (decay * p[i]);
            float b = (momentum * buf[i]) + g;
            buf[i] = b;
            float d = Nesterov ? g + (momentum * b) : b;
            p[i] -= lr * d;
        }
    }
}
