"""codeflash-engine: the AI service behind the codeflash CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("codeflash-engine")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
