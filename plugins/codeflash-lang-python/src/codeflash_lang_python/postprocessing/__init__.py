"""Postprocessing of optimization candidates, one module per step (see ``pipeline``)."""

from codeflash_lang_python.postprocessing.pipeline import OPTIMIZATION_TASKS, postprocess_optimizations

__all__ = ["OPTIMIZATION_TASKS", "postprocess_optimizations"]
