"""TalentBridge: an open talent data center for vocational education."""

__version__ = "0.1.0"
