"""`brief batch`: briefs for a file of articles on Ray Data (a local Ray, or a cluster)."""

from .rows import InputRow, read_rows
from .runner import BatchSummary, BriefWorker, run_batch

__all__ = ["BatchSummary", "BriefWorker", "InputRow", "read_rows", "run_batch"]
