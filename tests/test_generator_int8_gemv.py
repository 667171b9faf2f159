"""The C int8 GEMV used for decoding (engine/generator/int8_gemv.py): every CPU path computes the same
product as torch, bad arguments are refused, and a missing compiler means torch's kernel, not a crash."""
from __future__ import annotations

import dataclasses

import pytest
import torch
from ci_guard import require

from engine.generator import int8_gemv


@pytest.fixture(scope="module")
def kernel():
    k = int8_gemv.load()
    require(k is not None, "a C compiler (cc) to build the int8 GEMV", "apt-get install gcc")
    return k


@pytest.mark.parametrize("shape", [(1, 1), (7, 20), (9, 576), (960, 576), (576, 1536), (37, 100)])
def test_every_cpu_path_matches_torch(kernel, shape):
    torch.manual_seed(0)
    n, k = shape
    w = torch.randint(-127, 128, (n, k), dtype=torch.int8)
    scale = torch.rand(n) / 100
    x = torch.randn(k)
    expected = (w.double() @ x.double()) * scale.double()
    for level in sorted(int8_gemv.LEVELS):
        if level > kernel.level:  # a path this CPU cannot run
            continue
        got = dataclasses.replace(kernel, level=level)(x, w, scale, torch.empty(n)).double()
        assert torch.allclose(got, expected, rtol=1e-5, atol=1e-5 * float(expected.abs().max())), level


def test_bad_arguments_are_refused(kernel):
    w = torch.zeros(4, 16, dtype=torch.int8)
    with pytest.raises(ValueError, match="shapes"):
        kernel(torch.zeros(8), w, torch.ones(4), torch.empty(4))
    with pytest.raises(ValueError, match="float32"):
        kernel(torch.zeros(16, dtype=torch.float64), w, torch.ones(4), torch.empty(4))
    with pytest.raises(ValueError, match="contiguous"):
        kernel(torch.zeros(16), torch.zeros(16, 4, dtype=torch.int8).t(), torch.ones(4), torch.empty(4))


def test_without_a_compiler_torch_kernel_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPTALK_KERNEL_CACHE", str(tmp_path))
    monkeypatch.setenv("CC", str(tmp_path / "no-such-compiler"))
    int8_gemv.load.cache_clear()
    try:
        assert int8_gemv.load() is None
    finally:
        int8_gemv.load.cache_clear()


def test_built_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPTALK_KERNEL_CACHE", str(tmp_path))
    require(int8_gemv.load() is not None, "a C compiler (cc) to build the int8 GEMV", "apt-get install gcc")
    lib = int8_gemv.build()
    assert lib.parent == tmp_path and lib.exists()
    assert int8_gemv.build() == lib and len(list(tmp_path.iterdir())) == 1  # no temporary left behind
