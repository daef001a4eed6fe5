"""Pages of the households app: the register (register.py), support (support.py) and
distribution rounds (rounds.py)."""
