"""egov: an integrated e-government platform for district governments."""

__version__ = "0.1.0"
