"""The Chinese edition: complete, current, faithful to the glossary and to the cells, and built.

The edition is the book built with ``language: zh_CN`` from the catalogs
locales/zh_CN/LC_MESSAGES/<page>.po (README "The Chinese edition"; scripts/i18n.py). Checked here:

* completeness: the English messages of each page in TRANSLATED_PAGES are extracted afresh from
  the current sources (Sphinx's gettext builder, seconds: nothing is executed), and every one of
  them must be in the page's catalog, translated and not fuzzy. An English sentence changed
  without its Chinese, or a catalog not updated (``make gettext``), fails here, naming the page
  and the English text. Every page has a catalog and every catalog a page;
* the glossary: where an English message uses a term of the glossary (book/glossary.yml), its
  translation uses one of the term's Chinese forms. A translator comment ``glossary: not "part"``
  on a message says that the word is not the term there ("Part I" is a part of the book, not the
  glossary's part of an object); the test checks that such a word does occur in the message;
* what is not translated by hand: in every translated message, the glued values, the inline
  math, the inline code, the targets of references and citations, and the links' addresses are
  the same as in the English message, so the numbers, formulas and code of the Chinese text come
  from the same cells;
* the build: both editions build with warnings as errors, as ``make book`` builds them; every
  page of each links to the same page of the other, to a file that exists; code cells, their
  outputs, display math and glued values are identical in both editions; the translated pages
  show no MyST markup that a translation broke; the Chinese search index is segmented by jieba.
"""
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from bs4 import BeautifulSoup
from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_CN"

# Every page is translated: a page whose English has a message without its Chinese fails
# test_translated_pages_are_complete (test_every_page_has_a_catalog checks that the catalogs are
# the pages).
TRANSLATED_PAGES = sorted(path.relative_to(ROOT / "locales" / LANGUAGE / "LC_MESSAGES").with_suffix("").as_posix()
                          for path in (ROOT / "locales" / LANGUAGE / "LC_MESSAGES").rglob("*.po"))


i18n = load("scripts/i18n.py")
glossary = load("scripts/glossary.py")
editions = load("book/_ext/editions.py")


def run(command, what):
    """Run a command of the repository; fail the test with its output's tail if it fails."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{what} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


# ---------------------------------------------------------------------------------------------
# The catalogs and the messages


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """The current English messages of every page, ``{page: [msgid, ...]}``, extracted afresh."""
    out = tmp_path_factory.mktemp("pot")
    run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "extract", "--path-output", str(out)],
        "the extraction of the messages (scripts/i18n.py extract)")
    folder = out / "_build" / "i18n" / "pot" / "_build" / "gettext"
    return {path.relative_to(folder).with_suffix("").as_posix(): [m.id for m in i18n.messages(path)]
            for path in sorted(folder.rglob("*.pot"))}


CATALOGS = i18n.catalogs(LANGUAGE)


def translated(page):
    """The translated messages of a page's catalog: not empty, not fuzzy, not obsolete."""
    return [m for m in i18n.messages(CATALOGS[page]) if m.string and not m.fuzzy]


def short(text, width=100):
    return text if len(text) <= width else text[:width - 3] + "..."


def test_every_page_has_a_catalog(templates):
    missing = sorted(set(templates) - set(CATALOGS))
    stale = sorted(set(CATALOGS) - set(templates))
    assert not missing, f"pages without a catalog in locales/{LANGUAGE}/LC_MESSAGES: {missing}; run `make gettext`"
    assert not stale, f"catalogs of pages that no longer exist (delete them): {stale}"
    # a catalog whose header is marked fuzzy is a template nobody filled in (msgfmt skips its header)
    unfilled = [page for page, path in CATALOGS.items() if i18n.read_catalog(path).fuzzy]
    assert not unfilled, f"catalogs with a fuzzy header (remove its '#, fuzzy'): {unfilled}"


def test_translated_pages_are_pages(templates):
    assert set(TRANSLATED_PAGES) <= set(templates), sorted(set(TRANSLATED_PAGES) - set(templates))


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_translated_pages_are_complete(templates, page):
    assert page in CATALOGS, f"{page} has no catalog; run `make gettext`, then translate it"
    found = {m.id: m for m in i18n.messages(CATALOGS[page])}
    problems = []
    for english in templates[page]:
        message = found.get(english)
        if message is None:
            problems.append(f"not in the catalog (English changed? run `make gettext`): {short(english)}")
        elif message.fuzzy:
            problems.append(f"fuzzy (check the translation, then remove the fuzzy flag): {short(english)}")
        elif not message.string:
            problems.append(f"untranslated: {short(english)}")
    assert not problems, (f"{page} (locales/{LANGUAGE}/LC_MESSAGES/{page}.po), "
                          f"{len(problems)} of {len(templates[page])} messages:\n" + "\n".join(problems))


# ---------------------------------------------------------------------------------------------
# Glossary terms

WORD = re.compile(r"[^\W_]+")
# What is not prose in a message: display and inline math, inline code, a role's name and target
# (its title is prose), a link's address.
MATH = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<![\\$])\$[^$]+?(?<!\\)\$")
ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<content>[^`]*)`")
# Roles and inline code read in one pass from the left, as MyST reads them: a code span ending in
# "{l}" followed by its closing backtick is code, not the start of a role.
ROLE_OR_CODE = re.compile(ROLE.pattern + r"|(?P<ticks>`+)(?P<code>.+?)(?P=ticks)")
LINK = re.compile(r"\]\((?P<url>[^)\s]+)\)")
EXEMPT = re.compile(r'glossary: not "(?P<name>[^"]+)"')


def glossary_terms(path=glossary.GLOSSARY):
    """The glossary as ``[(english names, chinese forms)]``: the names a message may use and the
    Chinese terms, any one of which its translation must use. Read from the glossary's data
    file with its reader (scripts/glossary.py); point ``path`` at another file to check it."""
    return [(glossary.english_terms(record), [term for term, _ in glossary.chinese_terms(record)])
            for record in glossary.read_glossary(path)]


def prose(message):
    """The words of a message: without math, code, role names and targets, link addresses."""
    def role(match):
        title = re.match(r"(?P<title>.*?)\s*<[^<>]*>$", match["content"], re.S)
        return f" {title['title']} " if title else " "
    text = ROLE_OR_CODE.sub(lambda match: role(match) if match["name"] else " ", message)
    return [word.casefold() for word in WORD.findall(LINK.sub(" ", MATH.sub(" ", text)))]


def forms(word):
    """A word of a term and its plurals ("bias", "biases"; "entry", "entries")."""
    word = word.casefold()
    found = {word, word + "s", word + "es"}
    if word.endswith("y"):
        found.add(word[:-1] + "ies")
    return found


def uses(words, name):
    """The word positions ``(start, end)`` where the English name occurs in the message's words."""
    wanted = [forms(word) for word in WORD.findall(name)]
    return [(i, i + len(wanted)) for i in range(len(words) - len(wanted) + 1)
            if all(words[i + j] in wanted[j] for j in range(len(wanted)))]


def terms_used(message, terms):
    """The terms an English message uses, ``{english name: chinese forms}``; a longer term covers
    the shorter ones inside it ("convolution layer" is not also a use of "convolution")."""
    words, covered, used = prose(message), set(), {}
    for names, chinese in sorted(terms, key=lambda term: -max(len(WORD.findall(n)) for n in term[0])):
        for name in names:
            spans = [span for span in uses(words, name) if not set(range(*span)) <= covered]
            if spans:
                used[name] = chinese
            for span in spans:
                covered |= set(range(*span))
    return used


def contains(chinese_text, term):
    """Whether the translation contains the term, ignoring spaces and the case of Latin letters."""
    squash = lambda text: re.sub(r"\s+", "", text).casefold()  # noqa: E731
    return squash(term) in squash(chinese_text)


def test_glossary_matching():
    terms = [(["convolution"], ["卷积"]), (["convolution layer"], ["卷积层"]), (["bias"], ["偏置"]),
             (["loss"], ["损失"]), (["weight gradient"], ["权值的梯度", "权重梯度"]), (["gradient"], ["梯度"])]
    assert terms_used("The convolution layer's biases", terms) == {"convolution layer": ["卷积层"], "bias": ["偏置"]}
    assert terms_used("a convolution, then a convolution layer", terms).keys() == {"convolution", "convolution layer"}
    assert terms_used("the weight gradient and the gradient of $L$", terms).keys() == {"weight gradient", "gradient"}
    assert terms_used("`loss` and $loss$ and {ref}`the bias <losses-gradient>`", terms) == {"bias": ["偏置"]}
    assert terms_used("[text](losses.ipynb)", terms) == {}
    assert contains("使用 ReLU 激活函数", "ReLU激活函数") and not contains("ReLU 网络", "ReLU激活函数")


def exemptions(message):
    return {match["name"] for comment in message.user_comments for match in EXEMPT.finditer(comment)}


def test_translations_use_the_glossary_terms():
    terms = glossary_terms()
    names = {name for english, _ in terms for name in english}
    problems = []
    for page in CATALOGS:
        for message in translated(page):
            used = terms_used(message.id, terms)
            for name in sorted(exemptions(message)):
                if name not in names:
                    problems.append(f"{page}: the comment 'glossary: not \"{name}\"' names no term of the glossary")
                elif name not in used:
                    problems.append(f"{page}: the comment 'glossary: not \"{name}\"' is stale, the English "
                                    f"does not use it: {short(message.id)}")
            for name, chinese in used.items():
                if name not in exemptions(message) and not any(contains(message.string, t) for t in chinese):
                    problems.append(f"{page}: the English uses {name!r}, the Chinese has none of "
                                    f"{' / '.join(chinese)}:\n    {short(message.id)}\n    {short(message.string)}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# One English text, one Chinese text

def test_the_same_english_is_translated_the_same_everywhere():
    """A message that occurs on several pages (a chapter's title in a link, "Solution", a term's
    definition) has one translation: otherwise a correction made on one page drifts from the others."""
    found = defaultdict(lambda: defaultdict(list))
    for page in CATALOGS:
        for message in translated(page):
            found[message.id][message.string].append(page)
    problems = [f"{short(english)}\n" + "\n".join(f"    {short(chinese)}  ({', '.join(pages)})"
                                                 for chinese, pages in versions.items())
                for english, versions in found.items() if len(versions) > 1]
    assert not problems, "translated differently on different pages:\n" + "\n".join(problems)


def page_titles():
    """``{English title: (page, Chinese title)}`` of every page: its first heading and the
    translation its catalog gives it."""
    toc = load("scripts/toc.py")
    titles = {}
    for path in toc.toc_files():
        page = path.relative_to(ROOT).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown")
        english = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
        chinese = {m.id: m.string for m in translated(page)}.get(english)
        if chinese:
            titles[english] = (page, chinese)
    return titles


LINK_TEXT = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)"
                       r"|\{(?:ref|doc)\}`(?P<title>[^`<]+?)\s*<(?P<target>[^>]+)>`")


def test_links_named_by_a_page_title_use_its_translated_title():
    """A link whose English text is a page's title ("[Losses](losses.ipynb)") shows that page's
    Chinese title in the Chinese edition: a title translated anew in every link would drift."""
    titles = page_titles()
    assert len(titles) > 20, f"only {len(titles)} translated page titles found"
    problems = []
    for page in CATALOGS:
        for message in translated(page):
            for match in LINK_TEXT.finditer(message.id):
                english = (match["text"] or match["title"]).strip()
                if english not in titles:
                    continue
                where = match["url"] or match["target"]
                chinese = titles[english][1]
                found = [m for m in LINK_TEXT.finditer(message.string) if (m["url"] or m["target"]) == where]
                if not any((m["text"] or m["title"]).strip() == chinese for m in found):
                    problems.append(f"{page}: the link to {where} is titled {english!r}; in Chinese it must read "
                                    f"{chinese!r}:\n    {short(message.string)}")
    assert not problems, "\n".join(problems)


ERRATUM_HEADING = re.compile(r"(?P<id>\d{3}-\d+)\s*[:：]\s*(?P<title>.+)", re.S)


def test_errata_index_titles_are_the_entries_headings():
    """The errata index's table repeats each entry's title ("what"), which its page gives as the
    heading "000-1: title": the Chinese title in the table is the Chinese heading's title."""
    index = {m.id: m.string for m in translated("book/errata/index")}
    problems, checked = [], 0
    for page in CATALOGS:
        if not page.startswith("book/errata/source_"):
            continue
        for message in translated(page):
            english = ERRATUM_HEADING.fullmatch(message.id)
            if not english:
                continue
            chinese = ERRATUM_HEADING.fullmatch(message.string)
            if not chinese or chinese["id"] != english["id"]:
                problems.append(f"{page}: the heading {english['id']} must keep its id: {short(message.string)}")
            elif english["title"] not in index:
                problems.append(f"{page}: {english['id']}'s title is not a translated message of the index: "
                                f"{short(english['title'])}")
            elif index[english["title"]] != chinese["title"]:
                problems.append(f"{english['id']}: the index says {index[english['title']]!r}, "
                                f"the heading {chinese['title']!r}")
            checked += 1
    assert checked >= 30, f"only {checked} erratum headings found: has the heading format changed?"
    assert not problems, "\n".join(problems)


BLOCK_START = re.compile(r"(\d+[.)]|[-+*>]|#{1,6})[ \t]")


def test_translations_start_no_new_block():
    """A message is the text of one node (a heading, a paragraph, a list item's paragraph); Sphinx
    parses its translation alone, so a translation that starts like a list, a quote or a heading
    ("1. 前向传播" for the heading "1. fprop") becomes another kind of node, and Sphinx silently keeps
    the English. Such a start is escaped: "1\\. 前向传播"."""
    problems = [f"{page}: {short(message.string)}" for page in CATALOGS for message in translated(page)
                if BLOCK_START.match(message.string)]
    assert not problems, "translations that start a new block (escape the marker):\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Glued values, math, code and references come from the English text


def fixed_parts(message):
    """What a translation must keep: glued values, math, code, reference targets, link addresses."""
    parts = defaultdict(set)
    for match in ROLE_OR_CODE.finditer(message):
        name, content = match["name"], match["content"]
        if not name:
            parts["code"].add(match["code"])
        elif name.startswith("glue"):
            parts["glued value"].add(f"{{{name}}}`{content}`")
        else:
            target = re.search(r"<([^<>]*)>$", content)
            parts[f"{{{name}}} target"].add(target[1] if target else content)
    rest = ROLE_OR_CODE.sub(" ", message)
    parts["math"] = {m[0] for m in MATH.finditer(rest)}
    parts["link"] = {m["url"] for m in LINK.finditer(MATH.sub(" ", rest))}
    return {kind: found for kind, found in parts.items() if found}


def test_fixed_parts():
    english = ("$x$ = {glue:text}`x:.2f` (`bplib.f`, {ref}`erratum 1 <erratum-1>`, {cite}`src000`, "
               "[page](p.ipynb))")
    assert fixed_parts(english) == {"glued value": {"{glue:text}`x:.2f`"}, "{ref} target": {"erratum-1"},
                                    "{cite} target": {"src000"}, "math": {"$x$"}, "code": {"bplib.f"},
                                    "link": {"p.ipynb"}}
    assert fixed_parts("$x$ = {glue:text}`x:.2f`（`bplib.f`，{ref}`勘误 1 <erratum-1>`，{cite}`src000`，"
                       "[页面](p.ipynb)）") == fixed_parts(english)
    assert fixed_parts("$x$ = 0.25") != fixed_parts(english)
    # code that ends in "{l}" is code, and the role after it is a role
    tricky = "`z^{l}` for $z^l$ and {ref}`the rule <chain>`"
    assert fixed_parts(tricky) == {"code": {"z^{l}"}, "math": {"$z^l$"}, "{ref} target": {"chain"}}
    assert prose(tricky) == ["for", "and", "the", "rule"]


def test_glue_math_code_and_references_are_not_translated():
    problems = []
    for page in CATALOGS:
        for message in translated(page):
            english, chinese = fixed_parts(message.id), fixed_parts(message.string)
            if english != chinese:
                diff = {kind: (sorted(english.get(kind, set()) - chinese.get(kind, set())),
                               sorted(chinese.get(kind, set()) - english.get(kind, set())))
                        for kind in set(english) | set(chinese) if english.get(kind) != chinese.get(kind)}
                problems.append(f"{page}: {short(message.id)}\n    only in English / only in Chinese: {diff}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The two editions, built as `make book` builds them


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """``{language: folder}`` of the two editions, built like `make book` into a temporary folder."""
    out = tmp_path_factory.mktemp("editions")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), *i18n.STRICT], "the English edition")
    run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "build", LANGUAGE, "--path-output", str(out)],
        "the Chinese edition (scripts/i18n.py build)")
    html = out / "_build" / "html"
    return {language: (html / edition["path"]).resolve() for language, edition in i18n.editions().items()}


def pages(site):
    """The pages of an edition (its HTML files, without the other edition's nor the redirect index.html)."""
    others = [site / edition["path"] for edition in i18n.editions().values() if edition["path"] != "."]
    others += [site / "_static", site / "_sources", site / "_images"]
    return sorted(path for path in site.rglob("*.html")
                  if path != site / "index.html" and not any(o in path.parents for o in others))


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_links_to_the_same_page_in_the_other_edition(sites):
    problems = []
    for language, site in sites.items():
        found = pages(site)
        assert len(found) > 20, f"{language}: only {len(found)} pages in {site}"
        for path in found:
            links = soup(path).select("a.btn-language-switch")
            if len(links) != len(sites) - 1:
                problems.append(f"{path}: {len(links)} language switches")
            for link in links:
                target = (path.parent / link["href"]).resolve()
                other = next(lang for lang in sites if editions.hreflang(lang) == link["hreflang"])
                same = sites[other] / path.relative_to(site)
                if target != same or not target.is_file():
                    problems.append(f"{path.relative_to(site)} ({language}) -> {link['href']}: "
                                    f"{'not the same page' if target != same else 'no such file'}")
    assert not problems, "\n".join(problems[:20])


def cells(page):
    """What the editions share on a page: its code cells and their outputs other than printed
    Markdown (in order), figures, its display math, and the set of its glued values (a
    translation may order a sentence's numbers differently)."""
    article = page.select_one("article") or page
    return ([str(cell) for cell in article.select("div.cell_input, div.cell_output div.output")],
            [img.get("src", "") for img in article.select("div.cell_output img")],
            [math.get_text() for math in article.select("div.math")],
            {glued.get_text() for glued in article.select("span.pasted-text")})


def test_code_outputs_math_and_glued_values_are_the_same_in_both_editions(sites):
    english, chinese = sites["en"], sites[LANGUAGE]
    differ = [path.relative_to(english).as_posix() for path in pages(english)
              if cells(soup(path)) != cells(soup(chinese / path.relative_to(english)))]
    assert not differ, f"pages whose code, outputs, display math or glued values differ between the editions: {differ}"


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
STRAY = re.compile(r"\*\*|`|\{(glue|ref|cite|doc)[:}]|\]\(|(?<!\\)\$")


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_translated_pages_show_no_broken_markup(sites, page):
    """MyST markup that did not parse (say, ``**`` that CommonMark's rules do not close next to
    Chinese punctuation) shows up as text; math, code and cells are left out of the search."""
    html = soup(sites[LANGUAGE] / f"{page}.html")
    assert html.html["lang"] == editions.hreflang(LANGUAGE)
    article = html.select_one("article")
    # a function's signature shows Python's ** and the names of its arguments (autodoc)
    for node in article.select("div.cell, pre, code, span.math, div.math, script, .headerlink, dt.sig"):
        node.decompose()
    stray = [line.strip() for line in article.get_text("\n").splitlines() if STRAY.search(line)]
    assert not stray, f"{page}: MyST markup shown as text in the Chinese edition: {stray[:5]}"


PLAIN = re.compile(r"[$`{}\[\]*<>\\|_]")


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_no_translation_was_dropped(sites, page):
    """Sphinx keeps the English of a message whose translation parses as another kind of node (a
    heading "1. fprop" translated "1. 前向传播" parses as a list), silently. So no English message
    of plain prose (two words or more, no markup, no Chinese quotation) may be, as it is, a block
    (heading, paragraph, list item, table cell) of the Chinese page."""
    html = soup(sites[LANGUAGE] / f"{page}.html")
    article = html.select_one("article")
    # the API's docstrings are bplib's code and stay English
    for node in article.select("div.cell, pre, code, script, .headerlink, dl.py"):
        node.decompose()
    # the text of each block: a dropped translation leaves a whole English block
    blocks = {" ".join(node.get_text(" ").split())
              for node in article.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "caption"])}
    left = [m.id for m in translated(page) if not PLAIN.search(m.id) and len(m.id.split()) >= 2
            and CJK.search(m.string) and not CJK.search(m.id) and " ".join(m.id.split()) in blocks]
    assert not left, f"{page}: English shown instead of its translation: {[short(e) for e in left[:5]]}"


def test_chinese_search_is_segmented_by_jieba(sites):
    script = (sites[LANGUAGE] / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(script[script.index("(") + 1:script.rindex(")")])["terms"]
    # jieba's search mode indexes a compound and its parts: "反向传播" and "传播"
    for word in ("反向传播", "传播", "链式法则"):
        assert word in terms, f"{word!r} is not a term of the Chinese search index"


# ---------------------------------------------------------------------------------------------
# The machinery on a small book: what a message is, and how a translated notebook renders

SMALL_NOTEBOOK = """(sec-demo)=
# Demo page

The value is {glue:text}`demo-x:.3f` and $a^{(l)} = \\sigma(z)$, computed by `bplib.f`; see
{ref}`the section <sec-demo>` and [the other page](other.md).

:::{admonition} Solution
:class: dropdown
The answer is {glue:text}`demo-x:.1f`.
:::

| name | value |
|---|---|
| the value | {glue:text}`demo-x:.2f` |
| $x_1$ | 7 |

$$
L = \\frac{1}{2} (a - t)^2
$$
"""
SMALL_CATALOG = {
    "Demo page": "演示页",
    "The value is {glue:text}`demo-x:.3f` and $a^{(l)} = \\sigma(z)$, computed by `bplib.f`; see "
    "{ref}`the section <sec-demo>` and [the other page](other.md).":
    "数值为 {glue:text}`demo-x:.3f`，$a^{(l)} = \\sigma(z)$ 由 `bplib.f` 算出；"
    "见{ref}`该节 <sec-demo>`和[另一页](other.md)。",
    "Solution": "解答",
    "The answer is {glue:text}`demo-x:.1f`.": "答案是 {glue:text}`demo-x:.1f`。",
    "name": "名称",
    "value": "数值",
    "the value": "该数值",
}


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    """A book of one notebook (glued value, math, code, reference, link, dropdown, table, display
    math, a printed output) with a Chinese catalog, built with the book's i18n extensions:
    ``(messages extracted, Chinese HTML of the notebook)``."""
    out = tmp_path_factory.mktemp("small")
    src = out / "src"
    src.mkdir()
    cells = [
        {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": SMALL_NOTEBOOK},
        {"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": 1,
         "source": "from myst_nb import glue\nglue('demo-x', 0.123456, display=False)\nprint('printed 42')",
         "outputs": [{"output_type": "display_data", "data": {"application/papermill.record/text/plain": "0.123456"},
                      "metadata": {"scrapbook": {"mime_prefix": "application/papermill.record/", "name": "demo-x"}}},
                     {"output_type": "stream", "name": "stdout", "text": "printed 42\n"}]},
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    (src / "page.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (src / "other.md").write_text("# Other page\n\nSome text.\n", encoding="utf-8")
    (src / "_toc.yml").write_text("format: jb-book\nroot: page\nchapters:\n  - file: other\n", encoding="utf-8")
    extensions = str(ROOT / "book" / "_ext")
    config = {"title": "Small", "execute": {"execute_notebooks": "off"},
              "parse": {"myst_enable_extensions": ["amsmath", "dollarmath", "colon_fence"]},
              "sphinx": {"local_extensions": {"i18n_notebooks": extensions, "editions": extensions},
                         "config": {"locale_dirs": ["locales"], "gettext_compact": False, "gettext_location": False,
                                    "book_editions": {"en": {"path": ".", "label": "English"},
                                                      "zh_CN": {"path": "zh", "label": "中文"}}}}}
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    (src / "en.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run([jupyter_book, "build", str(src), "--config", str(src / "en.yml"), "--path-output", str(out / "pot"),
         "--builder", "custom", "--custom-builder", "gettext", *i18n.STRICT], "the small book's extraction")
    extracted = [m.id for m in i18n.messages(out / "pot" / "_build" / "gettext" / "page.pot")]

    catalog = Catalog(locale=LANGUAGE)
    for english, chinese in SMALL_CATALOG.items():
        catalog.add(english, chinese)
    folder = src / "locales" / LANGUAGE / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "page.po", "wb") as file:
        write_po(file, catalog)
    config["sphinx"]["config"]["language"] = LANGUAGE
    (src / "zh.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run([jupyter_book, "build", str(src), "--config", str(src / "zh.yml"), "--path-output", str(out / "zh"),
         *i18n.STRICT], "the small book's Chinese build")
    return extracted, soup(out / "zh" / "_build" / "html" / "page.html")


def test_what_a_message_is(small_book):
    """Prose, headings, admonition titles and table cells are messages; display math, code,
    outputs and a cell without a word ("$x_1$", "7") are not."""
    assert sorted(small_book[0]) == sorted(SMALL_CATALOG)


def test_a_translated_notebook_renders(small_book):
    page = small_book[1].select_one("article")
    assert page.select_one("h1").get_text().startswith("演示页")
    text = page.get_text(" ")
    for chinese in ("数值为", "答案是", "名称", "该数值"):
        assert chinese in text
    assert [span.get_text() for span in page.select("span.pasted-text")] == ["0.123", "0.1", "0.12"]
    assert page.select_one("span.math").get_text() == r"\(a^{(l)} = \sigma(z)\)"
    assert [code.get_text() for code in page.select("p code")] == ["bplib.f"]
    assert [(a["href"], a.get_text()) for a in page.select("p a.reference")] == [("#sec-demo", "该节"),
                                                                                 ("other.html", "另一页")]
    dropdown = page.select_one("details.dropdown, div.dropdown")
    assert dropdown is not None and "解答" in dropdown.get_text() and "答案是" in dropdown.get_text()
    assert [th.get_text() for th in page.select("th")] == ["名称", "数值"]
    assert r"\frac{1}{2} (a - t)^2" in page.select_one("div.math").get_text()
    assert "glue('demo-x', 0.123456, display=False)" in page.select_one("div.cell_input").get_text()
    assert page.select_one("div.cell_output").get_text().strip() == "printed 42"
    assert not STRAY.search(" ".join(p.get_text() for p in page.select("p, th, td")))


def test_edition_configuration_translates_its_own_words():
    """The configuration's words that no page holds: the Chinese edition's title is the root
    page's translated title, and its PDF has a Chinese author line, a Chinese "Introduction" and
    Chinese quotation marks; the English configuration is _config.yml with only the language set."""
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    root_title = {m.id: m.string for m in translated("book/intro")}[english["title"]]
    chinese = i18n.edition_config(LANGUAGE)
    latex = chinese["sphinx"]["config"]["latex_elements"]
    assert chinese["title"] == root_title and CJK.search(chinese["title"])
    assert CJK.search(chinese["author"])
    assert "Introduction" not in latex["tableofcontents"] and CJK.search(latex["tableofcontents"])
    assert "xeCJKDeclareCharClass" not in latex["preamble"] and "\\usepackage{xeCJK}" in latex["preamble"]
    same = i18n.edition_config("en")
    assert same["title"] == english["title"] and same["author"] == english["author"]
    assert same["sphinx"]["config"]["latex_elements"] == english["sphinx"]["config"]["latex_elements"]
