"""llama.cpp's extra buffer types are switched off while loading on CPUs that list AMX (SIGILL on some VMs)."""

from __future__ import annotations

import pytest

from service.models import llama_cpp as backend_module

llama_module = pytest.importorskip("llama_cpp.llama")


@pytest.mark.parametrize(("mode", "amx", "expected"), [("auto", True, False), ("auto", False, True), ("on", True, True), ("off", False, False)])
def test_extra_buffers_follow_the_setting(monkeypatch, mode, amx, expected):
    monkeypatch.setattr(backend_module, "_amx_listed", lambda: amx)
    monkeypatch.setattr(backend_module, "_library_has_amx", lambda: True)
    default = llama_module.llama_cpp.llama_model_default_params
    with backend_module._extra_buffers(mode):
        assert llama_module.llama_cpp.llama_model_default_params().use_extra_bufts is expected
    assert llama_module.llama_cpp.llama_model_default_params is default


def test_the_library_check_reads_the_installed_build():
    assert isinstance(backend_module._library_has_amx(), bool)
