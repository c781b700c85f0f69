"""Training throughput of the same MLP in PyTorch on CPU, for the comparison run by
`dotnet run -c Release --project bench/Stepwise.Benchmarks -- compare-pytorch`.

Prints one JSON object per (batch, threads) pair: median samples per second over the repeats."""
import json
import statistics
import sys
import time

import torch


def measure(batch, threads, samples, repeats, inputs=784, hidden=(256, 128), classes=6):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    layers = []
    width = inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    layers.append(torch.nn.Linear(width, classes))
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.001, betas=(0.9, 0.999), weight_decay=0.0005)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(samples, inputs)
    y = torch.randint(0, classes, (samples,))

    def one_pass():
        for start in range(0, samples, batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()

    one_pass()  # warm-up
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        one_pass()
        rates.append(samples / (time.perf_counter() - t0))
    return statistics.median(rates)


def main():
    samples, repeats = int(sys.argv[1]), int(sys.argv[2])
    pairs = [tuple(int(v) for v in p.split("x")) for p in sys.argv[3:]]
    for batch, threads in pairs:
        rate = measure(batch, threads, samples, repeats)
        print(json.dumps({"batch": batch, "threads": threads, "samples_per_s": rate,
                          "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
