"""Line 3 visual defect detection prototype."""
__version__ = "0.3.0"
