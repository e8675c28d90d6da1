#!/usr/bin/python3
"""The VAE of lib/vae.h in PyTorch, for comparison with vae-train (speed and losses).

    /usr/bin/python3 bench/vae_torch.py -k 50 --epochs 3 --threads 2 \
        --validate test.mat < train.mat

Reads the same binarized images (a matrix stream of f32, one image per row) that
vae-train reads, holds them in memory as one tensor, and times each epoch from there:
reshuffle, mini-batches, forward, backward, Adam step. Same model, loss, initialisation
(nn.Linear's default: uniform in +-1/sqrt(fan_in) for weights and biases) and Adam
settings as vae-train; its random streams differ, so losses agree only statistically.
Needs Debian's python3-torch (a benchmark dependency, not one of the project's).
"""
import argparse
import sys
import time

import torch
import torch.nn.functional as F


def read_stream(f):
    """The first matrix of a matrix stream (f32 or f64) as a float32 tensor."""
    header = f.readline().decode("ascii").split()
    if len(header) != 6 or header[0] != "LMAT" or header[1] != "1":
        sys.exit("vae_torch.py: not a matrix stream")
    dtype = {"f32": torch.float32, "f64": torch.float64}[header[2]]
    rows, cols = int(header[3]), int(header[4])
    size = rows * cols * (4 if dtype == torch.float32 else 8)
    data = bytearray(f.read(size))
    if len(data) != size:
        sys.exit("vae_torch.py: short payload")
    return torch.frombuffer(data, dtype=dtype).reshape(rows, cols).float()


class Vae(torch.nn.Module):
    def __init__(self, D, H, K):
        super().__init__()
        self.enc1 = torch.nn.Linear(D, H)
        self.enc_mu = torch.nn.Linear(H, K)
        self.enc_sigma = torch.nn.Linear(H, K)
        self.dec1 = torch.nn.Linear(K, H)
        self.dec2 = torch.nn.Linear(H, D)

    def loss(self, x):
        """Sum over the batch of BCE summed over pixels + KL, one sample of z each."""
        h = F.relu(self.enc1(x))
        mu = self.enc_mu(h)
        sigma = F.relu(self.enc_sigma(h)) + 1e-4
        z = mu + sigma * torch.randn_like(mu)
        logits = self.dec2(F.relu(self.dec1(z)))
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = 0.5 * (mu * mu + sigma * sigma - 1).sum() - torch.log(sigma).sum()
        return bce + kl


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-k", type=int, required=True)
    p.add_argument("--hidden", type=int, default=250)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--validate", help="images for the test-set negative ELBO per epoch")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    X = read_stream(sys.stdin.buffer)
    V = read_stream(open(a.validate, "rb")) if a.validate else None
    N, D = X.shape
    model = Vae(D, a.hidden, a.k)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"{N} x {D}, K {a.k}", file=sys.stderr)
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        total = 0.0
        for idx in torch.randperm(N).split(a.batch):
            x = X[idx]
            loss = model.loss(x)
            opt.zero_grad()
            (loss / len(idx)).backward()
            opt.step()
            total += loss.item()
        seconds = time.perf_counter() - t0
        line = f"epoch {epoch}: loss {total / N:.4f}, {seconds:.2f}s"
        if V is not None:
            with torch.no_grad():
                test = sum(model.loss(v).item() for v in V.split(a.batch)) / len(V)
            line += f", validation {test:.4f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
