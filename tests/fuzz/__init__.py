"""The fuzz suite of issue 9: programs, language specs, DFA files and command lines against the
contract of contract.py (`python -m tests.fuzz.campaign` runs a longer campaign that lists
every distinct failure)."""
