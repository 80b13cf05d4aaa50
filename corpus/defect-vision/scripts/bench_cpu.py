"""CPU latency benchmark for the exported model (what the notebook's latency cell calls).

    ORT_NUM_THREADS=4 python scripts/bench_cpu.py models/defect_effb0_384.onnx --n 500
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import onnxruntime as ort


def bench(model_path: str, n: int = 500, img_size: int = 384, threads: int | None = None) -> dict:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or int(os.environ.get("ORT_NUM_THREADS", "4"))
    sess = ort.InferenceSession(model_path, sess_options=opts, providers=["CPUExecutionProvider"])
    x = np.random.rand(1, 3, img_size, img_size).astype(np.float32)
    for _ in range(20):  # warm-up
        sess.run(None, {"image": x})
    lat = []
    for _ in range(n):
        t0 = time.perf_counter()
        sess.run(None, {"image": x})
        lat.append((time.perf_counter() - t0) * 1000)
    return {
        "n": n,
        "threads": opts.intra_op_num_threads,
        "p50_ms": float(np.percentile(lat, 50)),
        "p95_ms": float(np.percentile(lat, 95)),
        "size_mb": os.path.getsize(model_path) / 1e6,
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--img-size", type=int, default=384)
    a = ap.parse_args()
    print(bench(a.model, a.n, a.img_size))
