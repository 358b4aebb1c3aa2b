"""Errors a person can read: they name the file, row, column or argument and say why."""


class ClusterBoardError(Exception):
    """Any expected failure: shown to the user as one clear message, never as a traceback."""


class UnknownProject(ClusterBoardError):
    def __init__(self, project_id: str, known: list[str]):
        super().__init__(
            f"unknown project {project_id!r}; known projects: {', '.join(known) or 'none (run init)'}"
        )


class SeedError(ClusterBoardError):
    """A seed file that does not validate; nothing of the seed is written."""


class PermissionDenied(ClusterBoardError):
    """A write attempted without the right role."""
