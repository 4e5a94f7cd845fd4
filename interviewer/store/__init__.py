"""The store: SQLModel tables, the database, migrations and every query."""

from interviewer.rubric.versions import ImportResult, RubricInput, RubricSummary, StoredRubric
from interviewer.store.database import Database, StoreError, backup
from interviewer.store.repository import Repository


def open_repository(url: str, *, bundled: bool = True) -> Repository:
    """Open (and migrate) the database at url; import the bundled rubrics when they changed."""
    repository = Repository(Database.open(url))
    if bundled:
        repository.ensure_bundled_rubrics()
    return repository


__all__ = [
    "Database",
    "backup",
    "ImportResult",
    "Repository",
    "RubricInput",
    "RubricSummary",
    "StoreError",
    "StoredRubric",
    "open_repository",
]
