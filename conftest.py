"""pytest configuration shared by tests/ and the notebooks under book/ (nbval).

The notebook kernels inherit this process's environment, so setting these here
makes a bare ``pytest`` behave like ``make test``: no progress bars (stored
outputs are compared strictly) and a fixed hash seed.
"""
import os

os.environ["BPLIB_PROGRESS"] = "0"
os.environ["PYTHONHASHSEED"] = "0"
