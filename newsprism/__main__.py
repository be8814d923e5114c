"""`python -m newsprism` runs the command line."""

from newsprism.cli import cli

if __name__ == "__main__":
    cli()
