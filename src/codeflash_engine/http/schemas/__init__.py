"""Pydantic request and response models, one module per endpoint family, shaped by the client contract."""
