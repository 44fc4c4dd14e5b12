"""Lets `python -m breathpace` behave exactly like the `breathpace` command."""

from breathpace.cli import main

if __name__ == "__main__":
    main()
