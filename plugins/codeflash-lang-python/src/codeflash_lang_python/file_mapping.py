"""Which of the request's files a code block of a reply stands for."""

import posixpath
from collections.abc import Sequence


def map_to_request_path(block_path: str | None, request_paths: Sequence[str]) -> str | None:
    """Exact path, else the only file, else a unique basename; ``None`` when nothing fits.

    The same order the client uses when it applies a candidate, so a block we keep is one the
    client can place.
    """
    cleaned = block_path.strip().removeprefix("./") if block_path else None
    if cleaned in request_paths:
        return cleaned
    if len(request_paths) == 1:
        return request_paths[0]
    if cleaned:
        basename = posixpath.basename(cleaned)
        same_name = [path for path in request_paths if posixpath.basename(path) == basename]
        if len(same_name) == 1:
            return same_name[0]
    return None
