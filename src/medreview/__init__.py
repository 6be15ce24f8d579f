"""medreview: the medical-review desk of insurance claims."""

__version__ = "0.1.0"
