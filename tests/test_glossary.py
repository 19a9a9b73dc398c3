"""The glossary's data file, book/glossary.yml, and the pages it links to.

The glossary page is rendered from the data file (book/glossary.md, directive ``glossary-table``);
``read_glossary`` (scripts/glossary.py) reads it and rejects malformed records. These tests check:

* the file is well formed: every record has the four fields, one line each, and no English term
  occurs twice (``read_glossary`` raises otherwise);
* every link resolves: the page exists and is in _toc.yml, and a ``#label`` is defined in that
  page by exactly one target line ``(label)=``;
* the page (or, for a link with a label, that section) introduces the term: it contains every
  English name of the record, by the matching rule below;
* every Chinese term not marked ``*`` occurs in at least one source article, and every term
  marked ``*`` occurs in none (otherwise the mark is wrong). The articles are not part of the
  repository: they are read from ``shared/sources/`` beside the clone (ROOT.parent), as on the
  machines that build the book; without that folder this one check is skipped with a message.

Matching rule (``occurs``). The text searched is the Markdown of the page: a .md file's text, or
a notebook's markdown cells (code and outputs are not searched). For a link with a label, only
the labelled section is searched: from the target line to the next heading of the same or a
higher level than the heading that follows the label. The record's English names are its
``english`` field without the parts in parentheses, split at " / " ("weight gradient (wgrad)"
is searched as "weight gradient", "scatter / gather" as "scatter" and "gather"). Names and text
are cut into words: runs of letters and digits of any script, so that spaces, hyphens,
underscores, punctuation and Markdown or LaTeX markup between words do not count
("``**mini-batch**``" contains "mini batch", "``output_padding``" contains "output padding").
A name occurs when its words appear in the text consecutively and in order, compared without
regard to case, where each word of the name also matches its simple inflections: a plural or
verb ending (-s, -es, -ed, -ing, and -d after e, -ies/-ied for y, -ices for -ex/-ix) added to it
or to its stem, the word without its own -s, -es, -ies, or (words of six letters or more) -ing
or -ed ("leftover rows" matches "leftover row", "zero-stuffing" matches "zero-stuffed").
Numbers and symbols must match exactly; a Greek letter written in LaTeX counts as the letter
(``zero-padded $\\delta$`` contains "zero-padded δ").
"""
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"

glossary = load("scripts/glossary.py")
toc = load("scripts/toc.py")

try:
    RECORDS, READ_ERROR = glossary.read_glossary(), None
except ValueError as error:  # reported by test_data_file_is_well_formed
    RECORDS, READ_ERROR = [], error
IDS = [record["english"] for record in RECORDS]


# ---------------------------------------------------------------------------------------------
# The matching rule

WORD = re.compile(r"[^\W_]+")


def forms(word):
    """The forms of one word of a term that count as the word: itself and its simple inflections."""
    word = word.casefold()
    if not word.isalpha():
        return {word}
    bases = {word}
    if word.endswith("ies"):
        bases.add(word[:-3] + "y")
    elif word.endswith("es"):
        bases |= {word[:-2], word[:-1]}
    elif word.endswith("s") and not word.endswith("ss"):
        bases.add(word[:-1])
    elif word.endswith("ing") and len(word) >= 6:
        bases |= {word[:-3], word[:-3] + "e"}
    elif word.endswith("ed") and len(word) >= 6:
        bases |= {word[:-2], word[:-1]}
    found = set(bases)
    for base in bases:
        found |= {base + "s", base + "es", base + "ed", base + "ing"}
        if base.endswith("e"):
            found |= {base + "d", base[:-1] + "ing"}
        if base.endswith("y"):
            found |= {base[:-1] + "ies", base[:-1] + "ied"}
        if base.endswith(("ex", "ix")):
            found.add(base[:-2] + "ices")
    return found


def greek(text):
    """The text with LaTeX's Greek letters written as letters (``$\\delta$`` as δ)."""
    def letter(match):
        try:
            return unicodedata.lookup(f"GREEK SMALL LETTER {match[1].upper()}")
        except KeyError:
            return match[0]
    return re.sub(r"\\([a-z]+)", letter, text)


def occurs(name, text):
    """Whether the English name occurs in the text (the rule of the module docstring)."""
    text = greek(text)
    wanted = [forms(word) for word in WORD.findall(name)]
    if not wanted:
        raise ValueError(f"{name!r} has no words to search for")
    words = [word.casefold() for word in WORD.findall(text)]
    return any(all(words[i + j] in wanted[j] for j in range(len(wanted)))
               for i in range(len(words) - len(wanted) + 1))


def test_matching_rule():
    assert occurs("weight sharing", "parameters are shared over positions (权值共享, weight\nsharing)")
    assert occurs("mini-batch", "every step uses **mini batches**")
    assert occurs("output padding", "needs an `output_padding` argument")
    assert occurs("leftover rows", "(stride only, one leftover row)")
    assert occurs("channel index", "the channel indices (通道索引)")
    assert occurs("doubly block Toeplitz matrix", "a *doubly\nblock Toeplitz* matrix")
    assert occurs("bias", "the biases") and occurs("loss", "two losses") and occurs("entry", "entries")
    assert occurs("shuffling", "Epochs and shuffling") and occurs("share", "a shared kernel")
    assert occurs("zero-stuffing", "δ **zero-stuffed**") and occurs("sharing", "weights are shared")
    assert occurs("180° rotation", "the 180° rotation")
    assert occurs("zero-padded δ", r"the zero-padded $\delta$") and not occurs("δ", r"$\Delta$, $\mathrm{d}$")
    assert not occurs("180° rotation", "the 18° rotation")
    assert not occurs("weight sharing", "sharing a weight")        # order counts
    assert not occurs("weight sharing", "weight and bias sharing")  # consecutive words only
    assert not occurs("seed", "see the figure") and not occurs("padding", "pad")
    assert not occurs("tied bias", "one bias per channel (tied)")
    with pytest.raises(ValueError):
        occurs("(·)", "down(·)")


# ---------------------------------------------------------------------------------------------
# The data file


def test_data_file_is_well_formed():
    assert READ_ERROR is None, f"book/glossary.yml: {READ_ERROR}"
    # every term of the old hand-written table (84 rows) was migrated, and none is duplicated
    assert len(RECORDS) >= 84, f"only {len(RECORDS)} records read from book/glossary.yml"
    english = [glossary.english_terms(record) for record in RECORDS]
    assert all(english), [r["english"] for r, names in zip(RECORDS, english) if not names]


def test_reader_rejects_bad_records(tmp_path):
    good = {"english": "stride", "chinese": "步长", "definition": "The step $S$.",
            "link": "part2/conv_forward.ipynb#conv-forward-output-size"}
    bad = [
        ({**good, "link": "part2/conv_forward#x"}, "link must be"),
        ({k: v for k, v in good.items() if k != "chinese"}, "missing fields"),
        ({**good, "definition": "$\\lvert x\\rvert$ or |x|"}, "contains '|'"),
        ({**good, "chinese": "步长 / *"}, "bad Chinese alternative"),
        ({**good, "definition": ""}, "non-empty string"),
    ]
    for record, message in bad:
        path = tmp_path / "g.yml"
        path.write_text(yaml.safe_dump([record], allow_unicode=True), encoding="utf-8")
        with pytest.raises(ValueError, match=re.escape(message)):
            glossary.read_glossary(path)
    path.write_text(yaml.safe_dump([good, {**good, "english": "Stride"}], allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="occurs twice"):
        glossary.read_glossary(path)


def toc_pages():
    """The pages of the book (paths relative to ROOT, without suffix), from _toc.yml."""
    return set(toc.toc_pages())


def target_text(record):
    """The Markdown that the record's link points to: the page, or the labelled section."""
    page, label = glossary.split_link(record)
    assert page.exists(), f"{record['english']!r} links to {page.relative_to(ROOT)}, which does not exist"
    assert page.relative_to(ROOT).with_suffix("").as_posix() in toc_pages(), (
        f"{record['english']!r} links to {page.relative_to(ROOT)}, which _toc.yml does not list")
    text = glossary.markdown_of(page)
    if label is None:
        return text
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == f"({label})="]
    assert len(starts) == 1, (f"{record['english']!r} links to the label {label!r}, which "
                              f"{page.relative_to(ROOT)} defines {len(starts)} times (a line '({label})=')")
    level, end = None, len(lines)
    for i in range(starts[0] + 1, len(lines)):
        heading = re.match(r"(#{1,6}) ", lines[i])
        if heading and level is None:
            level = len(heading[1])
        elif heading and len(heading[1]) <= level:
            end = i
            break
    return "\n".join(lines[starts[0]:end])


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_link_introduces_the_term(record):
    text = target_text(record)
    missing = [name for name in glossary.english_terms(record) if not occurs(name, text)]
    assert not missing, (f"{record['link']} does not contain {missing} (the glossary says "
                         f"{record['english']!r} is introduced there)")


@pytest.fixture(scope="module")
def sources():
    if not SOURCES.is_dir():
        pytest.skip(f"the source articles are not at {SOURCES} (shared/sources beside the clone): "
                    "the Chinese terms cannot be checked against them")
    texts = [path.read_text(encoding="utf-8").casefold() for path in sorted(SOURCES.glob("*.txt"))]
    assert texts, f"{SOURCES} holds no .txt articles"
    return texts


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_chinese_terms_match_the_sources(record, sources):
    for term, in_sources in glossary.chinese_terms(record):
        found = any(term.casefold() in text for text in sources)
        if in_sources:
            assert found, f"{record['english']!r}: {term!r} is in no source article; mark it with *"
        else:
            assert not found, f"{record['english']!r}: {term!r} is in a source article; remove its *"


# ---------------------------------------------------------------------------------------------
# The page


def test_page_is_rendered_from_the_data():
    page = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    assert re.search(r"^```\{glossary-table\} glossary\.yml\s*$", page, re.M), (
        "book/glossary.md must render its table with the glossary-table directive")
    assert not re.search(r"^\|", page, re.M), "book/glossary.md has a table of its own; terms go into glossary.yml"
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["local_extensions"].get("glossary_table") == "book/_ext"
    assert "book/glossary" in toc_pages()


def test_table_has_one_row_per_record():
    extension = load("book/_ext/glossary_table.py")
    rows = extension.markdown_table(RECORDS).splitlines()[2:]
    assert len(rows) == len(RECORDS)
    english = [row.split(" | ")[0].removeprefix("| ").replace("\\*", "*") for row in rows]
    assert sorted(english) == sorted(IDS)
    assert english == [r["english"] for r in sorted(RECORDS, key=extension.sort_key)]
    for record, row in zip(sorted(RECORDS, key=extension.sort_key), rows):
        page, label = glossary.split_link(record)
        cell = row.rsplit(" | ", 1)[1].removesuffix(" |")
        if label is None:
            assert cell == f"{{doc}}`/{page.relative_to(ROOT).with_suffix('').as_posix()}`"
        else:
            assert cell == f"{{ref}}`{glossary.page_title(page)} <{label}>`"
