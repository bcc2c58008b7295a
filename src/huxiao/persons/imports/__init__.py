"""The key-person ledger (重点人员台账): import and masked export."""


def register() -> None:
    pass
