"""The deterministic demo city (攀枝花市) behind ``huxiao seed demo`` and ``make demo``."""
