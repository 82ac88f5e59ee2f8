"""Records what real PyTorch shows for each cell of a chapter's cells.py.

Usage (from the repository root, with the Python that has PyTorch 1.13):

    python3 chapters/record_pytorch.py chapters/01-module

It runs the cells of cells.py one after another in one namespace, as Jupyter does, and writes
pytorch-output.json beside it: for each cell, what it printed (stdout, stderr), the repr of its
last expression when that is an expression whose value is not None (Jupyter's Out[n]), and, when
the cell raised, the exception as `Type: first line of the message`. A cell that raises does not
stop the chapter: the seed document shows some errors on purpose.

Cells are the percent format of Jupytext: a line `# %%`, optionally `# %% id=name`.
"""
import ast
import contextlib
import io
import json
import re
import sys
import traceback
from pathlib import Path

import torch

MARKER = re.compile(r"^# ?%%(\s.*)?$")
CELL_ID = re.compile(r"(?:^|\s)id=(?:\"([\w-]+)\"|([\w-]+))(?=\s|$)")


def read_cells(source):
    """The cells of a percent-format file: (id or None, code)."""
    cells, current = [], None
    for line in source.splitlines():
        marker = MARKER.match(line)
        if marker:
            if current is not None:
                cells.append(current)
            found = CELL_ID.search(marker.group(1) or "")
            current = (found and (found.group(1) or found.group(2)), [])
        elif current is not None:
            current[1].append(line)
    if current is not None:
        cells.append(current)
    return [(cell_id, "\n".join(lines).rstrip()) for cell_id, lines in cells]


def run_cell(code, namespace, index):
    """Runs one cell like IPython: statements, then the last expression's value is shown."""
    tree = ast.parse(code, filename=f"In[{index}]")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, f"In[{index}]", "exec"), namespace)
    if last is not None:
        return eval(compile(last, f"In[{index}]", "eval"), namespace)
    return None


def record(folder):
    folder = Path(folder)
    cells = read_cells((folder / "cells.py").read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    results = []
    for index, (cell_id, code) in enumerate(cells, start=1):
        stdout, stderr = io.StringIO(), io.StringIO()
        value, error = None, None
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                shown = run_cell(code, namespace, index)
                value = None if shown is None else repr(shown)
            except Exception as e:  # the chapter shows errors as Python prints their last line
                error = traceback.format_exception_only(type(e), e)[-1].strip().split("\n")[0]
        results.append({"index": index, "id": cell_id, "stdout": stdout.getvalue(), "stderr": stderr.getvalue(), "value": value, "error": error})
    out = {"torch": torch.__version__.split("+")[0], "python": sys.version.split()[0], "cells": results}
    (folder / "pytorch-output.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{folder / 'pytorch-output.json'}: {len(results)} cells")


if __name__ == "__main__":
    for argument in sys.argv[1:] or sys.exit(__doc__):
        record(argument)
