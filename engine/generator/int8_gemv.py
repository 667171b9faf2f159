"""A one-row int8 weight-only product (y = (W_int8 @ x) * scale) in plain C, built once with the system C
compiler and called through ctypes.

Why: decoding one token multiplies a single activation row by every matrix of the model (135 MB as int8),
so it is bound by how fast the weights stream from memory. `torch._weight_int8pack_mm` reached ~5.8 GB/s
on the 30 layers' matrices (18.3 ms per token) where this CPU reads ~11.5 GB/s; fbgemm's dynamic int8 was
faster (10.8 ms) but quantises the activations, which cost answers. This loop keeps float32 activations
(more exact than the bfloat16 input `_weight_int8pack_mm` needs), converts int8 to float32 on the fly and
prefetches the rows it reads next (11.0 ms for the layers' matrices against 18.3 ms),
with AVX-512 or AVX2 chosen at run time and a scalar loop otherwise. Built once (~1 s) into a cache folder
named by the source's hash; without a C compiler `load()` returns None and the caller keeps torch's kernel.
"""
from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch

log = logging.getLogger("shoptalk.engine")

SOURCE = r"""
#include <stdint.h>
#include <immintrin.h>
#ifndef PF_ROWS
#define PF_ROWS 8  /* rows ahead; 4-64 measured 11.0-12.0 ms per token's layers, none 18.0 */
#endif

/* y[n] = scale[n] * sum_k w[n*K + k] * x[k] for n in [0, N); rows in blocks of 4 share each x load.
   The rows PF_ROWS ahead are prefetched: without it the loop read ~5.9 GB/s, with it ~9.7 GB/s. */

static inline float dot_from(const int8_t *w, const float *x, long k, long K, float s) {
    for (; k < K; k++) s += w[k] * x[k];
    return s;
}

/* the 4 rows' sums (SIMD part in s[]) finished with the scalar tail, scaled, stored */
static inline void finish4(const int8_t *w0, const float *x, long k, long K, const float *s, const float *scale,
                           float *y, long n) {
    for (int r = 0; r < 4; r++) y[n + r] = dot_from(w0 + r * K, x, k, K, s[r]) * scale[n + r];
}

static void gemv_plain(const float *x, const int8_t *w, const float *scale, float *y, long from, long N, long K) {
    for (long n = from; n < N; n++) y[n] = dot_from(w + n * K, x, 0, K, 0.f) * scale[n];
}

static inline void prefetch4(const int8_t *pf, long K, long k) {
    for (int r = 0; r < 4; r++) _mm_prefetch((const char *)(pf + r * K + k), _MM_HINT_T0);
}

#define LOAD16(p) _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p))))
#define LOAD8(p) _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(p))))

__attribute__((target("avx512f")))
static void gemv_avx512(const float *x, const int8_t *w, const float *scale, float *y, long N, long K) {
    long n = 0;
    for (; n + 4 <= N; n += 4) {
        const int8_t *w0 = w + n * K;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        long k = 0;
        for (; k + 16 <= K; k += 16) {
            if ((k & 63) == 0 && n + PF_ROWS + 4 <= N) prefetch4(w0 + PF_ROWS * K, K, k);
            __m512 xv = _mm512_loadu_ps(x + k);
            a0 = _mm512_fmadd_ps(LOAD16(w0 + k), xv, a0);
            a1 = _mm512_fmadd_ps(LOAD16(w0 + K + k), xv, a1);
            a2 = _mm512_fmadd_ps(LOAD16(w0 + 2 * K + k), xv, a2);
            a3 = _mm512_fmadd_ps(LOAD16(w0 + 3 * K + k), xv, a3);
        }
        float s[4] = {_mm512_reduce_add_ps(a0), _mm512_reduce_add_ps(a1), _mm512_reduce_add_ps(a2),
                      _mm512_reduce_add_ps(a3)};
        finish4(w0, x, k, K, s, scale, y, n);
    }
    gemv_plain(x, w, scale, y, n, N, K);
}

__attribute__((target("avx2,fma")))
static float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma")))
static void gemv_avx2(const float *x, const int8_t *w, const float *scale, float *y, long N, long K) {
    long n = 0;
    for (; n + 4 <= N; n += 4) {
        const int8_t *w0 = w + n * K;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        long k = 0;
        for (; k + 8 <= K; k += 8) {
            if ((k & 63) == 0 && n + PF_ROWS + 4 <= N) prefetch4(w0 + PF_ROWS * K, K, k);
            __m256 xv = _mm256_loadu_ps(x + k);
            a0 = _mm256_fmadd_ps(LOAD8(w0 + k), xv, a0);
            a1 = _mm256_fmadd_ps(LOAD8(w0 + K + k), xv, a1);
            a2 = _mm256_fmadd_ps(LOAD8(w0 + 2 * K + k), xv, a2);
            a3 = _mm256_fmadd_ps(LOAD8(w0 + 3 * K + k), xv, a3);
        }
        float s[4] = {hsum256(a0), hsum256(a1), hsum256(a2), hsum256(a3)};
        finish4(w0, x, k, K, s, scale, y, n);
    }
    gemv_plain(x, w, scale, y, n, N, K);
}

/* which loop this CPU runs: 2 AVX-512, 1 AVX2, 0 scalar */
int int8_gemv_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}

void int8_gemv(int level, const float *x, const int8_t *w, const float *scale, float *y, long N, long K) {
    if (level == 2) gemv_avx512(x, w, scale, y, N, K);
    else if (level == 1) gemv_avx2(x, w, scale, y, N, K);
    else gemv_plain(x, w, scale, y, 0, N, K);
}
"""

LEVELS = {2: "AVX-512", 1: "AVX2", 0: "scalar"}


def cache_dir() -> Path:
    """Where the built library is kept (SHOPTALK_KERNEL_CACHE, else ~/.cache/shoptalk)."""
    base = os.environ.get("SHOPTALK_KERNEL_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shoptalk"
    return Path(base)


def build(directory: Path | None = None) -> Path:
    """Compile SOURCE once into `directory` (a file named by its hash); raises OSError / CalledProcessError."""
    directory = Path(directory or cache_dir())
    lib = directory / f"int8_gemv-{hashlib.sha256(SOURCE.encode()).hexdigest()[:16]}.so"
    if lib.exists():
        return lib
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise OSError("no C compiler (cc/gcc) on PATH")
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        src, out = Path(tmp) / "int8_gemv.c", Path(tmp) / lib.name
        src.write_text(SOURCE)
        # -ffp-contract=off: the result must not depend on whether the compiler fuses the scalar tails
        subprocess.run([cc, "-O3", "-shared", "-fPIC", "-ffp-contract=off", "-o", str(out), str(src)],
                       check=True, capture_output=True, timeout=120)
        out.replace(lib)  # atomic: a concurrent builder's file is as good as ours
    return lib


@dataclass(frozen=True)
class Int8Gemv:
    """The loaded library; `__call__` fills `out` ([N] float32) with (w @ x) * scale."""
    lib: ctypes.CDLL
    level: int

    def __call__(self, x: torch.Tensor, w: torch.Tensor, scale: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
        if not (x.dtype == torch.float32 and w.dtype == torch.int8 and scale.dtype == torch.float32
                and x.is_contiguous() and w.is_contiguous() and scale.is_contiguous() and out.is_contiguous()):
            raise ValueError("int8_gemv needs contiguous float32 x/scale/out and an int8 w")
        n, k = w.shape
        if x.numel() != k or out.numel() != n or scale.numel() != n:
            raise ValueError(f"int8_gemv shapes: x {tuple(x.shape)}, w {tuple(w.shape)}, out {tuple(out.shape)}")
        self.lib.int8_gemv(self.level, x.data_ptr(), w.data_ptr(), scale.data_ptr(), out.data_ptr(), n, k)
        return out

    def describe(self) -> str:
        return f"int8 GEMV ({LEVELS[self.level]})"


@lru_cache(maxsize=1)
def load() -> Int8Gemv | None:
    """The built kernel, or None (logged) when it cannot be built here: callers then use torch's kernel."""
    try:
        lib = ctypes.CDLL(str(build()))
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:  # RuntimeError: no home folder
        detail = getattr(exc, "stderr", b"") or b""
        log.warning("int8 GEMV kernel not built (%s %s); using torch's int8 kernel", exc, detail[-300:])
        return None
    lib.int8_gemv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                              ctypes.c_long, ctypes.c_long]
    lib.int8_gemv.restype = None
    lib.int8_gemv_level.restype = ctypes.c_int
    return Int8Gemv(lib, int(lib.int8_gemv_level()))
