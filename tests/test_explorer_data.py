"""The gradient explorer's committed data agrees with bplib (book/part2/gradient_explorer.md).

scripts/explorer_data.py derives every geometry's formulas with bplib on SymPy symbols and checks
them against sympy.diff while generating. Here a sample of geometries, with every extreme of every
range, is generated again and compared with the committed file, so that a change in bplib (or in the
script) that is not followed by `make explorer-data` fails.
"""
import itertools
import random
from pathlib import Path

import numpy as np
import pytest

import bplib
from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent
explorer_data = load("scripts/explorer_data.py")


def sample_geometries():
    """Every corner of the ranges (each parameter at its minimum or maximum: 32 geometries), the
    issue's example, the worked example and eight more drawn with a fixed seed."""
    ranges = explorer_data.RANGES
    corners = list(itertools.product(*[(r.start, r.stop - 1) for r in ranges.values()]))
    others = random.Random(11).sample(explorer_data.all_geometries(), 8)
    named = [(5, 3, 2, 1, 1), tuple(explorer_data.WORKED.values())]
    return list(dict.fromkeys(corners + named + others))


SAMPLE = sample_geometries()


@pytest.fixture(scope="module")
def committed():
    return explorer_data.read_data_file()


def test_the_file_holds_every_geometry_of_the_ranges(committed):
    assert committed["ranges"] == {name: [r.start, r.stop - 1] for name, r in explorer_data.RANGES.items()}
    expected = {explorer_data.key(*g) for g in itertools.product(*explorer_data.RANGES.values())}
    assert set(committed["geometries"]) == expected


@pytest.mark.parametrize("geometry", SAMPLE, ids=[explorer_data.key(*g) for g in SAMPLE])
def test_regenerated_geometry_equals_the_committed_one(committed, geometry):
    # geometry() raises if bplib's gradients differ from sympy.diff of the forward expansion
    assert explorer_data.geometry(*geometry) == committed["geometries"][explorer_data.key(*geometry)]


def test_no_output_geometries_keep_the_message_bplib_raises(committed):
    invalid = {k: g for k, g in committed["geometries"].items() if "error" in g}
    assert invalid, "the ranges include kernels wider than the padded input"
    for key, g in invalid.items():
        H, k, S, P, D = map(int, key.split(","))
        with pytest.raises(ValueError) as raised:
            bplib.conv2d(np.zeros((1, 1, H, H)), np.zeros((1, 1, k, k)), stride=S, padding=P, dilation=D)
        assert g["error"] == str(raised.value)
        assert D * (k - 1) + 1 > H + 2 * P          # the dilated kernel is wider than the padded input


def test_worked_example_of_the_page_is_the_generated_one(committed):
    page = (ROOT / "book" / "part2" / "gradient_explorer.md").read_text(encoding="utf-8")
    assert explorer_data.worked_example_md(committed["geometries"]) in page


def test_data_file_stays_small():
    assert explorer_data.DATA_FILE.stat().st_size < 2_000_000
