"""Title Case benchmark: does a headline written in Title Case gain false names, or lose real ones?

Each human English sentence (rows with `it`, `en`) is rewritten in Title Case, as headlines are
(every word capitalised but short function words), and checked against its Italian source by
`check_support` with no English context (the hard case, as `brief eval summary` checks). The
sentence as written is the reference, so what Title Case changes is measured from the text alone:

- false names: unsupported names the Title Case version has beyond those of the sentence itself
  (a capitalised word read as a name the article lacks: "Promoting", "Talks");
- names seen: name facts of the sentence with at least one token still read as part of a name in
  the Title Case version (a lost one could no longer be flagged if a headline invented it); names
  kept whole: all of its tokens still read ("President" of "President Biden" lowered loses it).

python -m service.facts.title_case_benchmark FILE.jsonl...
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .compare import check_support, undo_title_case
from .extract import extract_english

_SMALL = frozenset("a an the and but or nor for of on in at to by from with as per via vs".split())
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def title_case(text: str) -> str:
    """'Police arrested two men in Rome' -> 'Police Arrested Two Men in Rome'."""
    def up(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if match.start() and word.lower() in _SMALL else word[0].upper() + word[1:]
    return _WORD.sub(up, text)


def _unsupported_names(source_it: str, text: str) -> int:
    return sum(1 for r in check_support(source_it, text).results if r.fact.is_name and not r.supported)


def run_title_case_benchmark(rows: Iterable[dict]) -> dict:
    total = changed = false_rows = false_names = names = kept = seen = 0
    examples: list[dict] = []
    for row in rows:
        it, en = row["it"], row["en"]
        headline = title_case(en)
        total += 1
        if headline == en:
            continue
        changed += 1
        extra = _unsupported_names(it, headline) - _unsupported_names(it, en)
        if extra > 0:
            false_rows += 1
            false_names += extra
            if len(examples) < 40:
                examples.append({"id": row.get("id"), "headline": headline,
                                 "unsupported": [r.fact.text for r in check_support(it, headline).results
                                                 if r.fact.is_name and not r.supported]})
        read = {k.lower() for f in extract_english(undo_title_case(headline, "", it)) if f.is_name for k in f.keys}
        for fact in extract_english(en):
            if fact.is_name:
                names += 1
                kept += all(k.lower() in read for k in fact.keys)
                seen += any(k.lower() in read for k in fact.keys)
    return {"rows": total, "rows_changed_by_title_case": changed,
            "rows_with_false_names": false_rows, "false_names": false_names,
            "false_name_rate": false_rows / changed if changed else 0.0,
            "names": names, "names_seen": seen, "names_seen_rate": seen / names if names else 0.0,
            "names_kept_whole": kept, "names_kept_whole_rate": kept / names if names else 0.0,
            "examples": examples}


def _main(argv: list[str]) -> int:
    import json
    import sys

    paths = [a for a in argv if a.endswith(".jsonl")]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        result = run_title_case_benchmark(rows)
        if "--examples" not in argv:
            result.pop("examples")
        print(json.dumps({path: result}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
