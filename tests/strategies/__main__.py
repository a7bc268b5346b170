"""`python -m tests.strategies --share [N]` (see share.py)."""

from .share import main

main()
