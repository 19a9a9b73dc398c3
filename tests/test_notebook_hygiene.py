"""Checks on the stored notebooks that nbval does not make.

* Re-executing a notebook gives a byte-identical file: no execution timestamps
  (nbclient's ``iopub.*`` and ``shell.execute_reply`` cell metadata) are stored.
* Consecutive outputs of one stream are stored merged (how the kernel splits a
  `print` into messages depends on timing).
* No timing in a chapter: speed is measured in ``benchmarks/``, not asserted or
  printed in the book.
* Code cells fit the page: no line of a code cell or of its text output is
  longer than 79 characters, what the rendered book shows at its default width
  without a horizontal scroll bar.
* Numbers in the prose come from cells: a number typed in a markdown cell that
  also appears in, or rounds from, one of the notebook's outputs must be glued
  (``{glue:text}`name:fmt```) instead. What the check allows, and why:

  - numbers inside glue roles, inline code, links, citations and references, and
    erratum ids such as ``001-3`` (they are names, not values);
  - numbers in block quotes: verbatim quotations of the source articles;
  - numbers that are written as literals in the notebook's own code: definitions
    (a learning rate, a network's input) and the sources' values that a cell
    compares with; the prose states them, no cell computes them;
  - integers below 10 (indices, small sizes such as 3×3, counts of layers), and
    section numbers of the sources ("section 3.2", "§3.3");
  - integers are matched exactly, decimals also when an output rounds to them;
    an approximate number ("about 0.43", "≈ 0.4") also when an output is within
    10 % of it.
* Glued values hold numbers and symbols, no words: the Chinese edition shows the
  same glued values in Chinese sentences.
* No line break inside Chinese text in the Markdown of any page: Markdown joins
  the lines of a paragraph with a space, which Chinese does not have.
"""
from __future__ import annotations

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]

# A number: optional sign, digits with optional thousands commas, optional decimals, optional %.
# Not part of a name (a11, w_{12}, x^2, 001-3) and not a version or section number.
NUMBER = re.compile(
    r"(?<![\w.^_{\\/-])(?<!\^\{)(?<!_\{)"
    r"(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?:\s?(%))?(?![\w.]\d|\w|-\d)"
)
APPROX = re.compile(r"(?:about|roughly|approximately|around|nearly|almost|≈|~|\\approx)\s*\$?\s*$")
TIMING = re.compile(r"\b(perf_counter|process_time|time\.time|time\.monotonic|timeit)\b")


def _load(path):
    return json.loads(path.read_text())


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_execution_timestamps(path):
    nb = _load(path)
    stamped = [i for i, c in enumerate(nb["cells"]) if "execution" in c.get("metadata", {})]
    assert not stamped, (f"{path.name}: cells {stamped} store execution timestamps; "
                         "re-execute with `make execute`, which strips them")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_streams_merged(path):
    nb = _load(path)
    split = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             for a, b in zip(c.get("outputs", []), c.get("outputs", [])[1:])
             if a.get("output_type") == b.get("output_type") == "stream" and a.get("name") == b.get("name")]
    assert not split, (f"{path.name}: cells {split} store one stream as several outputs; "
                       "re-execute with `make execute`, which merges them")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_timing_in_chapters(path):
    nb = _load(path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            src = _source(cell)
            assert not TIMING.search(src) and "%time" not in src, (
                f"{path.name}, cell {i}: measures time; speed belongs in benchmarks/")


MAX_LINE = 79


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_fits_the_page(path):
    nb = _load(path)
    long = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for kind, text in [("source", _source(cell)), ("output", _output_text(cell, latex=False))]:
            long += [(i, kind, len(ln)) for ln in text.splitlines() if len(ln) > MAX_LINE]
    assert not long, (f"{path.name}: lines longer than {MAX_LINE} characters "
                      f"(cell, where, length): {long[:10]}{' ...' if len(long) > 10 else ''}")


def _output_text(cell, latex=True):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(_source({"source": out.get("text", "")}))
        data_of = out.get("data", {})
        shown = ("text/plain",) if not ({"text/latex", "image/png", "text/html"} & set(data_of)) else ()
        for mime in (("text/plain", "text/latex", "text/markdown") if latex else shown):
            data = data_of.get(mime)
            if data is not None:
                parts.append(_source({"source": data}))
    return "\n".join(parts)


def _numbers(text, with_approx=False):
    """(string, value, decimals, is_percent) for every number token in text.

    With ``with_approx``, a fifth field says whether the number is introduced as
    an approximation ("about 0.43").
    """
    found = []
    for m in NUMBER.finditer(text):
        s, pct = m.group(1), bool(m.group(2))
        value = float(s.replace(",", ""))
        decimals = len(s.split(".")[1]) if "." in s else 0
        approx = bool(APPROX.search(text[max(0, m.start() - 20):m.start()]))
        found.append((s, value, decimals, pct, approx) if with_approx else (s, value, decimals, pct))
    return found


def _strip_prose(md):
    """Markdown with everything removed that is not a typed value (see the module docstring)."""
    lines = [ln for ln in md.splitlines() if not ln.lstrip().startswith(">")]
    md = "\n".join(lines)
    md = re.sub(r"```.*?```", " ", md, flags=re.S)                       # code blocks
    md = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", md)                          # roles: glue, cite, ref, ...
    md = re.sub(r"`[^`]*`", " ", md)                                     # inline code
    md = re.sub(r"\]\([^)]*\)", "] ", md)                                # link targets
    md = re.sub(r"\(([\w-]+)\)=", " ", md)                               # labels
    md = re.sub(r"https?://\S+", " ", md)                                # bare URLs
    md = re.sub(r"\b\d{3}-\d+\b", " ", md)                               # erratum ids
    md = re.sub(r"(?:section|Section|sections|§)\s*\d+(?:\.\d+)*", " ", md)  # source section numbers
    md = re.sub(r":::?\{[^}]*\}[^\n]*", " ", md)                         # directive lines
    return md


def _code_literals(nb):
    literals = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            for s, *_ in _numbers(_source(cell)):
                literals.add(s.replace(",", ""))
                literals.add(s.replace(",", "").lstrip("-"))
    return literals


def _matches(typed, outputs, approx=False):
    s, value, decimals, pct = typed
    for _, out_value, _, out_pct in outputs:
        candidates = [out_value]
        if pct and not out_pct:
            candidates.append(100 * out_value)       # a fraction printed, a percentage typed
        for v in candidates:
            if approx and value != 0 and abs(abs(v) - abs(value)) <= 0.1 * abs(value):
                return True
            if decimals == 0:
                if v == value:
                    return True
            elif round(v, decimals) == round(value, decimals) or round(-v, decimals) == value:
                return True
    return False


def typed_numbers(path):
    """Numbers typed in the markdown of notebook ``path`` that a cell's output also shows."""
    nb = _load(path)
    outputs = [n for c in nb["cells"] if c["cell_type"] == "code" for n in _numbers(_output_text(c))]
    literals = _code_literals(nb)
    offending = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for *typed, approx in _numbers(_strip_prose(_source(cell)), with_approx=True):
            s, value, decimals, pct = typed
            if decimals == 0 and abs(value) < 10 and not approx:
                continue
            if s.replace(",", "") in literals or s.replace(",", "").lstrip("-") in literals:
                continue
            if _matches(tuple(typed), outputs, approx):
                offending.append((i, s + (" %" if pct else "")))
    return offending


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_numbers_in_prose_are_glued(path):
    offending = typed_numbers(path)
    assert not offending, (
        f"{path.name}: numbers typed in markdown that a cell computes (glue them): "
        + ", ".join(f"cell {i}: {s}" for i, s in offending))


def test_number_pattern():
    """The tokenizer finds values and skips names and ids."""
    found = [s for s, *_ in _numbers("z = 0.58, 1,797 digits, 97 % and a_{11}, w12, x^2, 001-3, -0.674")]
    assert found == ["0.58", "1,797", "97", "-0.674"]
    assert _matches(("0.43", 0.43, 2, False), _numbers("loss 0.4312")) is True
    assert _matches(("0.44", 0.44, 2, False), _numbers("loss 0.4312")) is False
    assert _matches(("97.5", 97.5, 1, True), _numbers("accuracy 0.975")) is True
    assert _matches(("0.43", 0.43, 2, False), _numbers("loss 0.4398"), approx=True) is True
    assert [n[4] for n in _numbers("about 0.43, then 0.5", with_approx=True)] == [True, False]


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PAGES = NOTEBOOKS + sorted((ROOT / "book").rglob("*.md"))


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_no_line_break_inside_chinese_text(path):
    """Markdown joins the lines of a paragraph with a space, which Chinese does not have: a quoted
    "激活\\n函数" is shown as "激活 函数". A line of prose may not end in a Chinese character when the
    next one starts with one."""
    if path.suffix == ".ipynb":
        texts = [_source(cell) for cell in _load(path)["cells"] if cell["cell_type"] == "markdown"]
    else:
        texts = [path.read_text(encoding="utf-8")]
    broken = [f"{a[-20:]!r} / {b[:20]!r}" for text in texts for a, b in zip(text.split("\n"), text.split("\n")[1:])
              if a and b.strip() and CJK.match(a[-1]) and CJK.match(b.lstrip()[0])]
    assert not broken, f"a line break inside Chinese text: {broken}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_glued_text_has_no_english_words(path):
    """A glued value is shown in the English and the Chinese edition alike, so it holds numbers and
    symbols ("8, 16, 32", "k1, k5", "0.0951 (K = 8)"), never words of either language."""
    worded = []
    for cell in _load(path)["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain", "")
            if name and (re.search(r"[A-Za-z]{2,}", text) or CJK.search(text)):
                worded.append(f"{name} = {text}")
    assert not worded, f"glued values with words: {worded}"
