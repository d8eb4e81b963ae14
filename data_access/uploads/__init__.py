"""Loading checked files into the store and taking them out again: the catalogue files are
checked against, preview, all-or-nothing commit, undo, and the list of loaded files.

Rows arrive read and checked by `ingest` (the types are in data_access.upload_rows). Here
they are matched with the stored rows by natural key: a row not stored yet is new, a stored
row with other values is replaced (its previous values are kept for undo), an equal one is
left alone. A commit is one transaction; a file that would change nothing writes nothing.

The parts, in the order a file meets them: `catalogue` (what the store knows), `plan`
(validating a file and working out what it writes, with `preview` describing it), `commit`
(writing it), `undo` (taking it out) and `batches` (the loaded files); `tables` names the
tables they share.
"""

from data_access.uploads.batches import UploadBatchInfo, list_batches
from data_access.uploads.catalogue import catalogue
from data_access.uploads.commit import commit_upload
from data_access.uploads.plan import preview_upload
from data_access.uploads.preview import LineStatus, PreviewLine, UploadPreview
from data_access.uploads.undo import undo_batch

__all__ = [
    "LineStatus",
    "PreviewLine",
    "UploadBatchInfo",
    "UploadPreview",
    "catalogue",
    "commit_upload",
    "list_batches",
    "preview_upload",
    "undo_batch",
]
