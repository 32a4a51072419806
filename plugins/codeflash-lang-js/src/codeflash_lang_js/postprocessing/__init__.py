"""Postprocessing of optimization candidates, following what the released client does with them."""

from codeflash_lang_js.postprocessing.pipeline import OPTIMIZATION_TASKS, postprocess_optimizations

__all__ = ["OPTIMIZATION_TASKS", "postprocess_optimizations"]
