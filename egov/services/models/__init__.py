"""The models of service items: the master catalogue inside (items.py) and the published
read model outside (published.py)."""

from .items import (
    FAQ,
    PARTS,
    Fee,
    Material,
    ProcessStep,
    Result,
    ServiceItem,
    ServiceItemVersion,
    VersionFrozenError,
)
from .published import PublishedServiceFile, PublishedServiceItem, PublishedServiceTag

__all__ = [
    "FAQ",
    "PARTS",
    "Fee",
    "Material",
    "ProcessStep",
    "PublishedServiceFile",
    "PublishedServiceItem",
    "PublishedServiceTag",
    "Result",
    "ServiceItem",
    "ServiceItemVersion",
    "VersionFrozenError",
]
