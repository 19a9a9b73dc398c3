"""The gradient explorer operated in headless Chromium, as a reader would (book/part2/gradient_explorer.md).

The book is built into a temporary folder and the page opened from file://, with no server. The
test changes every control, compares the typeset formulas with the generated data, points at cells
and checks the highlights against the terms of the formulas, opens an impossible geometry, and
checks that the browser console shows no error. The Chinese edition (the same page built with the
edition's configuration, scripts/i18n.py) shows the explorer's words in Chinese and works the same.

Needs the Debian packages chromium and chromium-driver; without them it is skipped.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import bplib
from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="the gradient explorer's browser test needs headless Chromium: install the Debian packages "
           "chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is missing: make venv installs it")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

explorer_data = load("scripts/explorer_data.py")
book_i18n = load("scripts/i18n.py")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
         "--window-size=1300,1000"]
PARAMS = {"H": "H", "k": "k", "S": "s", "P": "p", "D": "d"}     # data key -> name in the address


def build_page(out, config=None):
    """The explorer's page built into ``out`` (with the configuration file ``config``, if given);
    returns the folder of the HTML.

    A table of contents with this page alone keeps the build to seconds; its links to other
    chapters become plain text (`make book` builds and checks the whole book).
    """
    toc = out / "_toc.yml"
    toc.write_text("format: jb-book\nroot: book/part2/gradient_explorer\n", encoding="utf-8")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "--toc", str(toc),
                          *(["--config", str(config)] if config else []), "--keep-going"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    page = out / "_build" / "html" / "book" / "part2" / "gradient_explorer.html"
    assert page.exists(), f"jupyter-book did not build the page:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return out / "_build" / "html"


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    """The explorer's page built with the book's configuration into a temporary folder."""
    return build_page(tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="module")
def html_zh(tmp_path_factory):
    """The page of the Chinese edition: the configuration `make book` builds it with
    (scripts/i18n.py, edition_config: _config.yml with language zh_CN), the same one-page build."""
    out = tmp_path_factory.mktemp("book_zh_CN")
    config = out / "_config.zh_CN.yml"
    config.write_text(yaml.safe_dump(book_i18n.edition_config("zh_CN"), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return build_page(out, config)


@pytest.fixture(scope="module")
def data():
    return explorer_data.read_data_file()["geometries"]


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    yield drv
    drv.quit()


def severe_messages(drv):
    """The console's errors since the last call, without the location prefix ("file:///... 61:12 ")."""
    return [re.sub(r"^\S+ \d+:\d+ ", "", e["message"]) for e in drv.get_log("browser") if e["level"] == "SEVERE"]


def opener(html, driver):
    """Open the explorer of the site ``html`` (call with the address fragment); afterwards, no error
    in the console."""
    severe_messages(driver)

    def open_at(fragment=""):
        driver.get("about:blank")
        driver.get((html / "book" / "part2" / "gradient_explorer.html").as_uri() + fragment)
        return driver

    yield open_at
    errors = severe_messages(driver)
    assert errors == [], f"errors in the browser console: {errors}"


@pytest.fixture
def page(html, driver):
    yield from opener(html, driver)


@pytest.fixture(params=["en", "zh_CN"])
def edition_page(request, driver):
    """The explorer of each edition, English and Chinese: ``(language, open_at)``."""
    html = request.getfixturevalue("html" if request.param == "en" else "html_zh")
    for open_at in opener(html, driver):
        yield request.param, open_at


def key_of(geometry):
    return ",".join(str(geometry[name]) for name in PARAMS)


def wait_for(drv, key):
    """Wait until the explorer shows geometry ``key`` with its formulas typeset."""
    try:
        WebDriverWait(drv, 30).until(lambda d: d.execute_script(
            "var r = document.getElementById('gradient-explorer-app');"
            "return r.getAttribute('data-state') === 'ready' && r.getAttribute('data-geometry') === arguments[0];",
            key))
    except TimeoutException:
        state = drv.execute_script("var r = document.getElementById('gradient-explorer-app');"
                                   "return [r.getAttribute('data-state'), r.getAttribute('data-geometry')];")
        raise AssertionError(f"the explorer did not show {key}: state {state}, console {drv.get_log('browser')}")


# The TeX MathJax typeset in each formula (its MathItems), and whether each formula was typeset.
DISPLAYED = """
var root = document.getElementById('gradient-explorer-app');
function items(node) {
  var math = MathJax.startup.document.getMathItemsWithin(node).map(function (m) { return m.math; });
  return {tex: math, typeset: node.querySelectorAll('mjx-container').length, sel: node.getAttribute('data-sel')};
}
function list(name) {
  var box = root.querySelector('[data-list="' + name + '"]');
  return box ? Array.prototype.map.call(box.querySelectorAll('.gx-eq'), items) : null;
}
return {size: items(root.querySelector('.gx-size')), z: list('z'), da: list('da'), dw: list('dw'),
        error: root.querySelector('.gx-error-message') ? root.querySelector('.gx-error-message').textContent : null,
        controls: Array.prototype.map.call(root.querySelectorAll('select'), function (s) {
          return [s.getAttribute('data-param'), s.value]; }),
        hash: window.location.hash, text: document.body.innerText};
"""


def check_displayed(drv, data, geometry):
    """The page shows exactly the generated formulas of ``geometry``, typeset, with its controls and address."""
    g = data[key_of(geometry)]
    shown = drv.execute_script(DISPLAYED)
    assert dict(shown["controls"]) == {name: str(v) for name, v in geometry.items()}
    assert shown["hash"] == "#" + "&".join(f"{PARAMS[n]}={v}" for n, v in geometry.items())
    assert shown["size"] == {"tex": [g["size"]], "typeset": 1, "sel": None}
    if "error" in g:
        assert shown["error"] == g["error"] and shown["z"] is None
    else:
        assert shown["error"] is None
        H, k, Ho = geometry["H"], geometry["k"], g["Ho"]
        for name, expected, selects in (
                ("z", g["z"], [f"d:{n // Ho}:{n % Ho}" for n in range(Ho * Ho)]),
                ("da", g["da"], [f"a:{n // H}:{n % H}" for n in range(H * H)]),
                ("dw", g["dw"] + [g["db"]], [f"w:{n // k}:{n % k}" for n in range(k * k)] + ["b"])):
            assert [eq["tex"] for eq in shown[name]] == [[tex] for tex in expected], name
            assert all(eq["typeset"] == 1 for eq in shown[name]), f"{name}: a formula was not typeset"
            assert [eq["sel"] for eq in shown[name]] == selects, f"{name}: a formula selects the wrong symbol"
    for raw in ("\\frac", "\\partial", "\\delta", "\\begin", "\\["):
        assert raw not in shown["text"], f"raw LaTeX {raw!r} left on the page"


def test_every_control_changes_the_formulas_and_the_address(page, data):
    drv = page()
    geometry = {"H": 5, "k": 3, "S": 2, "P": 1, "D": 1}                 # the explorer's default
    wait_for(drv, key_of(geometry))
    check_displayed(drv, data, geometry)
    for name, value in (("H", 6), ("k", 1), ("S", 3), ("P", 2), ("D", 2), ("k", 2), ("H", 3), ("S", 1), ("P", 0)):
        Select(drv.find_element(By.CSS_SELECTOR, f'select[data-param="{name}"]')).select_by_value(str(value))
        geometry[name] = value
        wait_for(drv, key_of(geometry))
        check_displayed(drv, data, geometry)


def test_the_address_opens_its_geometry(page, data):
    drv = page("#H=4&k=2&s=3&p=2&d=2")
    wait_for(drv, "4,2,3,2,2")
    check_displayed(drv, data, {"H": 4, "k": 2, "S": 3, "P": 2, "D": 2})
    drv.execute_script("window.location.hash = '#H=6&k=3&s=1&p=2&d=1'")   # a link followed on the same page
    wait_for(drv, "6,3,1,2,1")
    check_displayed(drv, data, {"H": 6, "k": 3, "S": 1, "P": 2, "D": 1})


def test_an_impossible_geometry_shows_the_reason(page, data):
    drv = page("#H=4&k=3&s=2&p=0&d=1")
    wait_for(drv, "4,3,2,0,1")
    Select(drv.find_element(By.CSS_SELECTOR, 'select[data-param="D"]')).select_by_value("2")
    wait_for(drv, "4,3,2,0,2")
    check_displayed(drv, data, {"H": 4, "k": 3, "S": 2, "P": 0, "D": 2})
    with pytest.raises(ValueError) as raised:       # the message is bplib's own
        bplib.conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), stride=2, padding=0, dilation=2)
    error = drv.find_element(By.CSS_SELECTOR, ".gx-error")
    assert error.is_displayed() and str(raised.value) in error.text
    assert drv.find_elements(By.CSS_SELECTOR, ".gx-grid") == []


# ---- highlighting -------------------------------------------------------------------------------

A_TERM = re.compile(r"a_\{(\d)(\d)\} w_\{(\d)(\d)\}")                   # a_ij w_pq in a forward expansion
DELTA_W = re.compile(r"\\delta_\{(\d+),?(\d+)?\} w_\{(\d)(\d)\}")         # delta_uv w_pq in dL/da
A_DELTA = re.compile(r"a_\{(\d)(\d)\} \\delta_\{(\d+),?(\d+)?\}")          # a_ij delta_uv in dL/dw


def delta_index(g, first, second):
    """0-based (u, v) of a δ subscript: "12" -> (0, 1), "1,10" (two-digit indices) -> (0, 9)."""
    if g["dsep"]:
        return int(first) - 1, int(second) - 1
    return int(first[0]) - 1, int(first[1]) - 1


HIGHLIGHTS = """
var root = document.getElementById('gradient-explorer-app');
function cells(grid, cls) {
  return Array.prototype.map.call(root.querySelectorAll('table[data-grid="' + grid + '"] td.' + cls), function (td) {
    var tag = td.querySelector('.gx-tag');
    return [td.getAttribute('data-sel') || '', tag ? tag.textContent : ''];
  });
}
return {a: cells('a', 'gx-hl'), w: cells('w', 'gx-hl'), d: cells('d', 'gx-hl'),
        dhat: cells('dhat', 'gx-win'), rot: cells('rot', 'gx-win'), on: root.querySelectorAll('.gx-on').length};
"""


def point_at(drv, selector):
    target = drv.find_element(By.CSS_SELECTOR, selector)
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    ActionChains(drv).move_to_element(target).perform()
    return drv.execute_script(HIGHLIGHTS)


def sel(kind, i, j):
    return f"{kind}:{i}:{j}"


def check_pointing_at_delta(drv, g, Ho, u, v):
    """δ_uv: the inputs of z_uv's window, each tagged with its weight, and those weights."""
    pairs = {(int(i) - 1, int(j) - 1, int(p) - 1, int(q) - 1) for i, j, p, q in A_TERM.findall(g["z"][u * Ho + v])}
    shown = point_at(drv, f'table[data-grid="d"] td[data-sel="{sel("d", u, v)}"]')
    assert sorted(shown["a"]) == sorted([sel("a", i, j), f"w{p + 1}{q + 1}"] for i, j, p, q in pairs)
    assert sorted(s for s, _ in shown["w"]) == sorted({sel("w", p, q) for _, _, p, q in pairs})
    assert shown["on"] >= 2                       # the δ cell and its z cell, and the forward formula


def check_pointing_at_input(drv, g, H, i, j, via_formula=False):
    """a_ij: the δ's of dL/da_ij, each tagged with its weight; the weights; the same δ's under the
    window of rot180(W) on δ̂ (the closed form)."""
    terms = [(*delta_index(g, a, b), int(p) - 1, int(q) - 1) for a, b, p, q in DELTA_W.findall(g["da"][i * H + j])]
    target = (f'[data-list="da"] .gx-eq[data-sel="{sel("a", i, j)}"]' if via_formula
              else f'table[data-grid="a"] td[data-sel="{sel("a", i, j)}"]')
    shown = point_at(drv, target)
    assert sorted(shown["d"]) == sorted([sel("d", u, v), f"w{p + 1}{q + 1}"] for u, v, p, q in terms)
    assert sorted(s for s, _ in shown["w"]) == sorted({sel("w", p, q) for *_, p, q in terms})
    assert sorted(s for s, _ in shown["dhat"] if s) == sorted(sel("d", u, v) for u, v, *_ in terms)
    assert sorted(s for s, _ in shown["rot"]) == sorted(sel("w", p, q) for *_, p, q in terms)
    assert shown["a"] == []                       # the input itself is the one pointed at


def check_pointing_at_weight(drv, g, k, p, q):
    """w_pq: the inputs and δ's of dL/dw_pq, paired."""
    pairs = {(int(i) - 1, int(j) - 1, *delta_index(g, a, b)) for i, j, a, b in A_DELTA.findall(g["dw"][p * k + q])}
    shown = point_at(drv, f'table[data-grid="w"] td[data-sel="{sel("w", p, q)}"]')
    sep = g["dsep"]
    assert sorted(shown["a"]) == sorted([sel("a", i, j), f"δ{u + 1}{sep}{v + 1}"] for i, j, u, v in pairs)
    assert sorted(s for s, _ in shown["d"]) == sorted({sel("d", u, v) for *_, u, v in pairs})


# the example; a dilated kernel with an even stride (inputs no window reaches); a 1x1 kernel
# with more padding than reach (δ̂ cropped, two-digit δ indices)
@pytest.mark.parametrize("geometry", [(5, 3, 2, 1, 1), (6, 2, 2, 1, 2), (6, 1, 1, 2, 1)],
                         ids=["5,3,2,1,1", "6,2,2,1,2", "6,1,1,2,1"])
def test_highlighting_follows_the_pointer(page, data, geometry):
    H, k, S, P, D = geometry
    key = ",".join(map(str, geometry))
    g = data[key]
    drv = page(f"#H={H}&k={k}&s={S}&p={P}&d={D}")
    wait_for(drv, key)
    Ho = g["Ho"]
    for u, v in ((0, 0), (Ho - 1, Ho - 1), (Ho // 2, (Ho - 1) // 2)):
        check_pointing_at_delta(drv, g, Ho, u, v)
    for i, j in ((0, 0), (H - 1, H - 1), (H // 2, 1)):
        check_pointing_at_input(drv, g, H, i, j)
    check_pointing_at_input(drv, g, H, 1, H - 2, via_formula=True)
    for p, q in ((0, 0), (k - 1, k - 1)):
        check_pointing_at_weight(drv, g, k, p, q)
    # a click keeps the selection when the pointer leaves the explorer
    drv.find_element(By.CSS_SELECTOR, f'table[data-grid="a"] td[data-sel="{sel("a", 0, 0)}"]').click()
    kept = point_at(drv, "#reading-the-explorer > h2")               # a heading below the explorer
    assert [s for s, _ in kept["d"]] == [s for s, _ in point_at(
        drv, f'table[data-grid="a"] td[data-sel="{sel("a", 0, 0)}"]')["d"]]


# ---- the editions: the explorer's words in the page's language ------------------------------------

# What explorer.js (STRINGS) writes in each edition; the Chinese terms are book/glossary.yml's.
WORDS = {
    "en": {
        "lang": "en",
        "labels": ["input Hin = Win", "kernel kh = kw", "stride S", "padding P", "dilation D"],
        "group": "Geometry of the convolution",
        "captions": lambda S, P, D: ["input a\n" + (f"padded with {P} ring{'s' if P > 1 else ''} of zeros" if P
                                                    else "no padding"),
                                     f"kernel W\ndilation {D}", f"output z\nstride {S}", "δ\n∂L/∂z", "δ̂",
                                     "rot180(W)"],
        "headings": ["Forward pass", "Input gradient, in terms of δ and w",
                     "Weight and bias gradients, in terms of a and δ", "The closed form for the same geometry"],
        "hint": "Point at a cell or a formula; click to keep the selection. No tap of any window lands on a "
                "crossed-out input: its gradient is 0.",
        "closed": lambda stuffed, before, after, D: (
            f"δ̂ is δ with S − 1 = {stuffed} zero{'' if stuffed == 1 else 's'} between neighbouring entries, "
            f"D(kh − 1) − P = {before} before them and {after} after"
            + (" (a negative number: that many rows and columns are cut off)" if before < 0 or after < 0 else "")
            + f". Sliding rot180(W) over it, taps {D} apart, gives the input gradient: point at an input aij "
              "to see its window."),
        "no_output": lambda width, padded: (f"No output for this geometry. The dilated kernel, D(kh − 1) + 1 = "
                                            f"{width} wide, does not fit in the padded input, Hin + 2P = {padded} "
                                            "wide. bplib.conv2d raises ValueError: "),
    },
    "zh_CN": {
        "lang": "zh-CN",
        "labels": ["输入 Hin = Win", "卷积核 kh = kw", "步长 S", "填充 P", "膨胀 D"],
        "group": "卷积的几何参数",
        "captions": lambda S, P, D: ["输入 a\n" + (f"四周补 {P} 圈零" if P else "无填充"), f"卷积核 W\n膨胀 {D}",
                                     f"输出 z\n步长 {S}", "δ\n∂L/∂z", "δ̂", "rot180(W)"],
        "headings": ["前向传播", "输入梯度（用 δ 和 w 表示）", "权值和偏置的梯度（用 a 和 δ 表示）",
                     "同一几何参数下的闭式"],
        "hint": "指向一个格子或一个公式；单击可保持选择。画了叉的输入上不落任何窗口的任何抽头：它的梯度为 0。",
        "closed": lambda stuffed, before, after, D: (
            f"δ̂ 是在 δ 的相邻元素之间插入 S − 1 = {stuffed} 个零、前面补 D(kh − 1) − P = {before} 个零、"
            f"后面补 {after} 个零得到的" + ("（负数表示裁掉这么多行和列）" if before < 0 or after < 0 else "")
            + f"。让 rot180(W) 以相隔 {D} 的抽头在它上面滑动，就得到输入梯度：指向一个输入 aij，可以看到它的窗口。"),
        "no_output": lambda width, padded: (f"这组几何参数没有输出。膨胀后的卷积核宽 D(kh − 1) + 1 = "
                                            f"{width}，放不进宽 Hin + 2P = {padded} 的填充后输入。"
                                            "bplib.conv2d 抛出 ValueError："),
    },
}

# The explorer's own words: its text without the typeset formulas, the options of the controls, the
# page's <noscript> (raw HTML, not a message) and bplib's error message (English in every edition).
WORDING = """
var root = document.getElementById('gradient-explorer-app');
function text(node) {
  var copy = node.cloneNode(true);
  Array.prototype.forEach.call(copy.querySelectorAll('noscript, select, mjx-container, .gx-error-message'),
                               function (n) { n.remove(); });
  return copy.textContent.replace(/\\s+/g, ' ').trim();
}
function all(selector) { return Array.prototype.map.call(root.querySelectorAll(selector), text); }
return {lang: document.documentElement.lang, labels: all('.gx-controls label'),
        group: root.querySelector('.gx-controls').getAttribute('aria-label'),
        captions: Array.prototype.map.call(root.querySelectorAll('figcaption'), function (f) { return f.innerText; }),
        headings: all('h2'), hint: all('.gx-hint'), closed: all('.gx-closed p'), error: all('.gx-error'),
        all: text(root)};
"""


def check_wording(drv, words, geometry, g):
    shown = drv.execute_script(WORDING)
    assert shown["lang"] == words["lang"]
    assert shown["labels"] == words["labels"]
    assert shown["group"] == words["group"]
    if "error" in g:
        assert shown["error"] == [words["no_output"](geometry["D"] * (geometry["k"] - 1) + 1,
                                                     geometry["H"] + 2 * geometry["P"]).strip()]
        assert shown["captions"] == [] and shown["headings"] == []
    else:
        assert shown["captions"] == words["captions"](geometry["S"], geometry["P"], geometry["D"])
        assert shown["headings"] == words["headings"]
        assert shown["hint"] == [words["hint"]]
        assert shown["closed"] == [words["closed"](geometry["S"] - 1, *g["dhat_pad"], geometry["D"])]
    return shown["all"]


def test_the_explorer_speaks_the_language_of_its_edition(edition_page, data):
    """Each edition's explorer writes its labels, captions and sentences in the page's language and
    works the same: the controls change the formulas and the words, pointing highlights, and an
    impossible geometry explains itself."""
    language, open_page = edition_page
    words = WORDS[language]
    drv = open_page("#H=5&k=3&s=2&p=1&d=1")
    geometry = {"H": 5, "k": 3, "S": 2, "P": 1, "D": 1}
    wait_for(drv, key_of(geometry))
    check_displayed(drv, data, geometry)
    text = check_wording(drv, words, geometry, data[key_of(geometry)])
    # the notice for readers without JavaScript is a paragraph of the page, hidden by the explorer
    notice = drv.find_element(By.CSS_SELECTOR, ".gx-noscript")
    assert not notice.is_displayed()
    assert ("JavaScript" in notice.get_attribute("textContent")
            and bool(re.search(r"[\u4e00-\u9fff]", notice.get_attribute("textContent"))) == (language != "en"))
    if language == "en":
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text), text
    else:   # no English word left: only symbols (H_in, k_h, rot180, a_ij) among the Chinese
        assert set(re.findall(r"[A-Za-z]{2,}", text)) <= {"Hin", "Win", "kh", "kw", "rot", "aij"}, text
    for name, value in (("S", 1), ("P", 2), ("k", 1), ("D", 2), ("k", 3), ("P", 0)):   # k = 1, P = 2: δ̂ cropped
        Select(drv.find_element(By.CSS_SELECTOR, f'select[data-param="{name}"]')).select_by_value(str(value))
        geometry[name] = value
        wait_for(drv, key_of(geometry))
        check_displayed(drv, data, geometry)
        check_wording(drv, words, geometry, data[key_of(geometry)])
    g = data[key_of(geometry)]
    check_pointing_at_input(drv, g, geometry["H"], 2, 2)
    check_pointing_at_delta(drv, g, g["Ho"], 0, 0)
    # an impossible geometry
    for name, value in (("H", 4), ("k", 3), ("S", 2), ("P", 0), ("D", 2)):
        Select(drv.find_element(By.CSS_SELECTOR, f'select[data-param="{name}"]')).select_by_value(str(value))
        geometry[name] = value
    wait_for(drv, key_of(geometry))
    check_displayed(drv, data, geometry)
    check_wording(drv, words, geometry, data[key_of(geometry)])
