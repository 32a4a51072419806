"""Single-purpose transformations of an LLM's pytest module, applied in order by ``testgen.pipeline``."""
