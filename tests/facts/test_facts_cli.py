"""The `brief check` command, on its own typer app (the lead's app registers the same function)."""

import json

import pytest
import typer
from typer.testing import CliRunner

from service.cli.check import register


@pytest.fixture
def app():
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:  # a second command keeps typer in multi-command mode
        pass

    return app


def run(app, *args):
    return CliRunner().invoke(app, ["check", *args])


def test_source_target(app, tmp_path):
    (tmp_path / "it.txt").write_text("Costa 7.500 euro a Mosca.", encoding="utf-8")
    (tmp_path / "en.txt").write_text("It costs €7,500 in Moscow.", encoding="utf-8")
    result = run(app, "--source", str(tmp_path / "it.txt"), "--target", str(tmp_path / "en.txt"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["issues"] == 0 and len(data["facts"]) == 2


def test_pairs_with_malformed_lines(app, tmp_path):
    lines = [json.dumps({"id": "a", "it": "Sono 7500 km.", "en": "It is 7.5 km."}),
             "{not json",
             json.dumps({"id": "c", "it": "", "en": "x"}),
             json.dumps(["a list"]),
             json.dumps({"it": "Nel 2015.", "en": "In 2015."})]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(app, "--pairs", str(path))
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["a", 2, "c", 4, 5]
    assert out[0]["issues"] == 1 and "error" in out[1] and "error" in out[2]
    assert out[4]["issues"] == 0
    assert "pairs.jsonl:2" in result.stderr and "not valid JSON" in result.stderr
    assert "'it' is empty" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_empty_pairs_file(app, tmp_path, content):
    path = tmp_path / "pairs.jsonl"
    path.write_text(content, encoding="utf-8")
    result = run(app, "--pairs", str(path))
    assert result.exit_code == 2
    assert "no rows" in result.stderr


def test_empty_source_is_a_clear_error(app, tmp_path):
    (tmp_path / "it.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Hello.", encoding="utf-8")
    result = run(app, "--source", str(tmp_path / "it.txt"), "--target", str(tmp_path / "en.txt"))
    assert result.exit_code == 2
    assert "empty" in result.stderr and "Traceback" not in result.output


def test_missing_options(app, tmp_path):
    result = run(app, "--source", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "--target" in result.stderr


def test_many_rows_are_fast(app, tmp_path):
    import time
    row = {"it": "Il 28 febbraio 2023 Blinken ha annunciato 25 milioni di dollari a Mosca.",
           "en": "On February 28, 2023 Blinken announced $25 million in Moscow."}
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps({**row, "id": i, "it": row["it"] + f" ({i})"})
                              for i in range(500)), encoding="utf-8")
    start = time.perf_counter()
    result = run(app, "--pairs", str(path))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 500
    assert time.perf_counter() - start < 10
