"""Read the LaTeX log of the PDF book for the warnings that matter.

    python book/_latex/check_log.py _build/latex/book.log

prints every glyph no font has ("Missing character"), every undefined reference or citation
and every box more than ``OVERFULL_LIMIT_PT`` too wide, and exits with status 1 if there is a
missing glyph or an undefined reference (`make pdf` runs it after the build). Overfull boxes
are reported, not fatal: the lead decides on content fixes. tests/test_pdf.py uses the same
functions.
"""
import re
import sys
from pathlib import Path

OVERFULL_LIMIT_PT = 5.0

MISSING_GLYPH = re.compile(r"^Missing character: There is no .*$", re.MULTILINE)
# "LaTeX Warning: Reference `label' on page 3 undefined on input line 12." (also Citation and
# Hyper reference); TeX wraps log lines at 79 characters, so a label may hold a newline.
UNDEFINED = re.compile(r"^LaTeX Warning: (Reference|Citation|Hyper reference) `([^']*)'",
                       re.MULTILINE)
SCALED_MATH = re.compile(r"^bpfitmath: .*$", re.MULTILINE)
OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) (?P<where>[^\n]*)\n(?P<text>[^\n]*)",
                      re.MULTILINE)


def missing_glyphs(log):
    """The "Missing character" lines of a LaTeX log, each once, in order."""
    return list(dict.fromkeys(MISSING_GLYPH.findall(log)))


def undefined_references(log):
    """``"Reference `label'"`` for every undefined reference and citation of the LaTeX run."""
    found = [f"{kind} `{label.replace(chr(10), '')}'" for kind, label in UNDEFINED.findall(log)]
    if not found and "There were undefined references" in log:
        found = ["LaTeX Warning: There were undefined references."]
    return list(dict.fromkeys(found))


def overfull_boxes(log, limit_pt=OVERFULL_LIMIT_PT):
    """``(points, where, text)`` of every box more than ``limit_pt`` too wide."""
    return [(float(m["pt"]), m["where"], m["text"].strip())
            for m in OVERFULL.finditer(log) if float(m["pt"]) > limit_pt]


def scaled_equations(log):
    """The log lines of the equations printed by cells that were scaled down to the line."""
    return SCALED_MATH.findall(log)


def read_log(path):
    """The log as text (XeTeX writes UTF-8, but a cut multibyte character must not stop us)."""
    return Path(path).read_text(encoding="utf-8", errors="replace")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    log = read_log(argv[1])
    glyphs, refs, boxes = missing_glyphs(log), undefined_references(log), overfull_boxes(log)
    for line in glyphs:
        print(f"missing glyph: {line}")
    for line in refs:
        print(f"undefined: {line}")
    for pt, where, text in boxes:
        print(f"overfull by {pt:.1f}pt {where}: {text[:100]}")
    scaled = scaled_equations(log)
    for line in scaled:
        print(line)
    print(f"{argv[1]}: {len(glyphs)} missing glyphs, {len(refs)} undefined references, "
          f"{len(boxes)} boxes more than {OVERFULL_LIMIT_PT:g}pt too wide, "
          f"{len(scaled)} printed equations scaled down to the line")
    return 1 if glyphs or refs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
