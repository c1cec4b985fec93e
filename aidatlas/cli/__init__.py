"""Command line: a thin Typer shell over the library, one module per command group; `main.py` assembles them.

Every `AidatlasError` becomes a one-line message naming the file and what was wrong, and exit code 1;
other documents of the same command are still processed. Nothing in the library imports this package.
"""
