"""From extracted candidates to the blocks the client's Java replacer applies as intended."""

from codeflash_lang_java.postprocessing.pipeline import OPTIMIZATION_TASKS, postprocess_optimizations

__all__ = ["OPTIMIZATION_TASKS", "postprocess_optimizations"]
