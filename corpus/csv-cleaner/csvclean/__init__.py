"""csvclean: clean and validate order exports before they are loaded into the warehouse."""

__version__ = "0.3.0"

__all__ = ["__version__"]
