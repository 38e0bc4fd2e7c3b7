"""Loading and validating eval JSONL: bad rows are named by line, with the reason."""

import json

import pytest
from eval_helpers import FIGURES, write_jsonl

from service.evaluation.data import DataError, fits, limit_rows, load_dataset, validate


def test_bad_json_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"it": "a", "en": "b"}\n\n{"it": "c", "en": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl line 3: not valid JSON"):
        load_dataset(path)


def test_not_an_object(tmp_path):
    path = write_jsonl(tmp_path / "list.jsonl", [{"it": "a", "en": "b"}])
    path.write_text(path.read_text() + "[1, 2]\n")
    with pytest.raises(DataError, match=r"line 2: expected a JSON object, got list"):
        load_dataset(path)


def test_missing_field_names_line_id_and_fields(tmp_path):
    path = write_jsonl(tmp_path / "rows.jsonl", [{"id": "a", "it": "Ciao.", "en": "Hi."}, {"id": "b", "it": "Ciao.", "en": ""}])
    with pytest.raises(DataError, match=r"line 2 \(id b\): the translation suite needs non-empty string fields it\+en or article\+article_en"):
        validate("translation", load_dataset(path))


def test_duplicate_ids(tmp_path):
    path = write_jsonl(tmp_path / "dup.jsonl", [{"id": "x", "it": "a", "en": "b"}, {"id": "x", "it": "c", "en": "d"}])
    with pytest.raises(DataError, match="id 'x' already used on line 1"):
        load_dataset(path)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such dataset file"):
        load_dataset(tmp_path / "nope.jsonl")


def test_ids_hash_and_limit(tmp_path):
    path = write_jsonl(tmp_path / "rows.jsonl", [{"it": "a", "en": "b"}, {"it": "c", "en": "d"}])
    dataset = load_dataset(path)
    assert [r["id"] for r in dataset.rows] == ["line-1", "line-2"]
    assert dataset.sha256 == load_dataset(path).sha256 and len(dataset.sha256) == 64
    assert len(limit_rows(dataset.rows, 1)) == 1
    path.write_text(path.read_text() + json.dumps({"it": "e", "en": "f"}) + "\n")
    assert load_dataset(path).sha256 != dataset.sha256


def test_project_figures_file_is_valid():
    dataset = load_dataset(FIGURES)
    validate("translation", dataset)
    assert len(dataset.rows) >= 20
    assert all(row["expected_facts"] for row in dataset.rows)
    assert fits("facts", dataset.rows) and not fits("summary", dataset.rows)
