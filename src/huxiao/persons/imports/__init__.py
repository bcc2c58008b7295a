"""The key-person ledger (重点人员台账): import through the schools' ledger framework
(preview, row/column errors in Chinese, all or nothing) and a masked export."""


def register() -> None:
    """Offer the ledger to ``huxiao import`` and the import pages (called from AppConfig.ready)."""
    from huxiao.persons.imports.ledger import LEDGER
    from huxiao.schools.imports.pipeline import register as register_ledger

    register_ledger(LEDGER)
