"""attention-verifier: prove or refute claims about fixed-precision attention programs."""
