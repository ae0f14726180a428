#!/usr/bin/python3
"""PyTorch side of `kiln bench`: trains one benchmark model and prints steps/s as JSON.

Usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/bench/torch_train.py MODEL BATCH THREADS WARMUP STEPS
MODEL is mlp (4 Linear 256x256 layers, ReLU between, MSE loss) or block (one pre-LN Transformer block,
width 128, 4 heads, MLP 512 with GELU, 64 tokens, MSE loss). Adam lr 1e-3, data fixed and random.
The same models are built by Kiln in modules/kiln-cli/src/main/java/dev/kiln/cli/bench/BenchModels.java.
"""
import json
import sys
import time

import torch

model_name, batch, threads, warmup, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
torch.manual_seed(0)


class Block(torch.nn.Module):
    def __init__(self, d=128, heads=4):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(d)
        self.q = torch.nn.Linear(d, d)
        self.k = torch.nn.Linear(d, d)
        self.v = torch.nn.Linear(d, d)
        self.o = torch.nn.Linear(d, d)
        self.ln2 = torch.nn.LayerNorm(d)
        self.fc1 = torch.nn.Linear(d, 4 * d)
        self.fc2 = torch.nn.Linear(4 * d, d)

    def forward(self, x):
        n, t, d = x.shape
        h = self.ln1(x)
        def split(z):
            return z.view(n, t, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        att = torch.softmax(q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(n, t, d)
        x = x + self.o(ctx)
        return x + self.fc2(torch.nn.functional.gelu(self.fc1(self.ln2(x))))


if model_name == "mlp":
    layers = []
    for i in range(4):
        layers.append(torch.nn.Linear(256, 256))
        if i < 3:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    x = torch.randn(batch, 256)
    y = torch.randn(batch, 256)
elif model_name == "block":
    model = Block()
    x = torch.randn(batch, 64, 128)
    y = torch.randn(batch, 64, 128)
else:
    raise SystemExit("unknown model " + model_name)

opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    return loss


for _ in range(warmup):
    step()
start = time.perf_counter()
for _ in range(steps):
    loss = step()
elapsed = time.perf_counter() - start
print(json.dumps({"model": model_name, "batch": batch, "threads": threads, "steps_per_s": steps / elapsed,
                  "loss": float(loss), "torch": torch.__version__}))
