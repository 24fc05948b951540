"""Timing of a repeated call, shared by the benchmarks."""

import time


def p95_median(fn, n):
    """Call ``fn`` ``n`` times; return the 95th-percentile and the median duration in seconds."""
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[int(0.95 * (n - 1))], samples[n // 2]
