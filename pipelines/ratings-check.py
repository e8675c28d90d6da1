#!/usr/bin/python3
"""ratings-check.py: an independent computation of ratings-models.mk's numbers, in numpy.

    ratings-check.py DIR      (DIR = pipelines/out/ml; writes the report to stdout)

Shares no code with the C tools: it reads the matrix streams itself, and it does every
step the plain way with numpy's LAPACK (not the project's wrappers).

1. PCA: the SVD of the centred mean-imputed matrix, the rank-K reconstruction, its test
   RMSE for K = 1..15 and 500, against pca-kK.rmse. Must agree to 1e-9.
2. Factor analysis, exactly: from the starting model in fa-start.mat (ml-faem -i 0), ten
   EM iterations written the textbook way (per user: the posterior from its K x K
   precision; per movie: the joint (K+1) x (K+1) solve for (w_j, m_j), psi_j from its
   expected squared residuals), with the log-likelihood of every iterate computed from
   each user's full |O_i| x |O_i| covariance (numpy slogdet and solve: no determinant
   lemma, no Woodbury). Against fa-check.loglik, written by ml-faem from the same start.
   Must agree to 1e-9 relative.
3. Factor analysis, statistically: EM from numpy's own random start (its own generator,
   W ~ N(0, 0.1^2)), 100 iterations, for a few K: the test RMSE should fall within the
   spread of ml-faem's seeds (models-rmse.tsv). Reported, not enforced: a different
   random start is one more seed.
Exits 1 if check 1 or 2 fails.
"""
import sys

import numpy as np

MIN_VAR = 1e-3  # ml-faem's default floor


def read_stream(path):
    """Every matrix of a matrix stream file, by name."""
    out = {}
    with open(path, 'rb') as f:
        while True:
            header = f.readline()
            if not header:
                return out
            magic, version, kind, rows, cols, name = header.decode().split()
            assert magic == 'LMAT' and version == '1'
            rows, cols = int(rows), int(cols)
            dtype = np.dtype('<f8' if kind == 'f64' else '<f4')
            data = np.frombuffer(f.read(rows * cols * dtype.itemsize), dtype=dtype)
            out[name] = data.reshape(rows, cols).astype(np.float64)


def first(path):
    return next(iter(read_stream(path).values()))


def rmse(pred, test):
    seen = ~np.isnan(test)
    return float(np.sqrt(np.mean((pred[seen] - test[seen]) ** 2)))


def loglik(X, seen, W, m, psi):
    """sum_i log N(x_i^o | m_o, W_o W_o^T + Psi_o), one full covariance per user."""
    total = 0.0
    for i in range(X.shape[1]):
        o = seen[:, i]
        n = int(o.sum())
        if n == 0:
            continue
        C = W[o] @ W[o].T + np.diag(psi[o])
        r = X[o, i] - m[o]
        sign, logdet = np.linalg.slogdet(C)
        total += -0.5 * (n * np.log(2 * np.pi) + logdet + r @ np.linalg.solve(C, r))
    return total


def em(X, seen, W, m, psi, iterations, trace=None):
    """EM for factor analysis on the observed entries; returns the prediction."""
    M, N = X.shape
    K = W.shape[1]
    for it in range(iterations + 1):
        if trace is not None:
            trace.append(loglik(X, seen, W, m, psi))
        Ez = np.zeros((N, K))
        Ezz = np.zeros((N, K, K))
        for i in range(N):
            o = seen[:, i]
            Wo = W[o] / psi[o, None]
            Sigma = np.linalg.inv(np.eye(K) + W[o].T @ Wo)
            Ez[i] = Sigma @ (Wo.T @ (X[o, i] - m[o]))
            Ezz[i] = Sigma + np.outer(Ez[i], Ez[i])
        if it == iterations:
            return W @ Ez.T + m[:, None]
        W, m, psi = W.copy(), m.copy(), psi.copy()
        for j in range(M):
            u = seen[j]
            n = int(u.sum())
            if n == 0:
                continue
            G = np.empty((K + 1, K + 1))
            G[:K, :K] = Ezz[u].sum(axis=0)
            G[:K, K] = G[K, :K] = Ez[u].sum(axis=0)
            G[K, K] = n
            x = X[j, u]
            b = np.append(x @ Ez[u], x.sum())
            wt = np.linalg.solve(G, b)
            # E[(x - wt z~)^2] summed: x^2 - 2 x wt.E[z~] + wt^T E[z~ z~^T] wt
            res = x @ x - 2 * wt @ b + wt @ G @ wt
            W[j], m[j], psi[j] = wt[:K], wt[K], max(res / n, MIN_VAR)


def main():
    d = sys.argv[1]
    train, test, imputed = (first(f'{d}/{n}.mat') for n in ('train', 'test', 'imputed'))
    seen = ~np.isnan(train)
    failed = False

    # 1. PCA
    Xc = imputed - imputed.mean(axis=1, keepdims=True)
    U, S, VT = np.linalg.svd(Xc, full_matrices=False)
    worst = 0.0
    for k in list(range(1, 16)) + [500]:
        pred = imputed.mean(axis=1, keepdims=True) + (U[:, :k] * S[:k]) @ VT[:k]
        ours = float(open(f'{d}/pca-k{k}.rmse').read())
        worst = max(worst, abs(rmse(pred, test) - ours))
    print(f'PCA, numpy SVD vs ml-pca, test RMSE for K = 1..15 and 500: '
          f'largest difference {worst:.1e}')
    failed |= worst > 1e-9

    # 2. FA from ml-faem's own starting point, iteration by iteration
    start = read_stream(f'{d}/fa-start.mat')
    ours = [float(line.split()[1]) for line in open(f'{d}/fa-check.loglik')]
    trace = []
    em(train, seen, start['W'], start['mean'][:, 0], start['psi'][:, 0], len(ours) - 1, trace)
    rel = max(abs(a - b) / abs(b) for a, b in zip(trace, ours))
    print(f'FA, K = {start["W"].shape[1]}, {len(ours) - 1} EM iterations from the same start: '
          f'log-likelihood {trace[-1]:.6f} (numpy, full covariances) vs {ours[-1]:.6f} '
          f'(ml-faem), largest relative difference over the iterations {rel:.1e}')
    failed |= rel > 1e-9

    # 3. FA from numpy's own random start
    table = {}
    for line in open(f'{d}/models-rmse.tsv').readlines()[1:]:
        f = line.split('\t')
        table[int(f[0])] = (float(f[3]), float(f[4]))
    rng = np.random.default_rng(2024)
    M = train.shape[0]
    n = seen.sum(axis=1)
    m0 = np.nansum(train, axis=1) / n
    psi0 = np.maximum(np.nansum((train - m0[:, None]) ** 2, axis=1) / n, MIN_VAR)
    for k in (1, 3, 5):
        pred = em(train, seen, 0.1 * rng.standard_normal((M, k)), m0.copy(), psi0.copy(), 100)
        r = rmse(pred, test)
        lo, hi = table[k]
        where = 'inside' if lo - 1e-6 <= r <= hi + 1e-6 else 'OUTSIDE'
        print(f'FA, K = {k}, numpy EM from its own random start, 100 iterations: test RMSE '
              f'{r:.6f}, {where} the range of ml-faem seeds [{lo:.6f}, {hi:.6f}]')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
