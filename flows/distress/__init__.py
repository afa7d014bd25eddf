"""Distress triage: is the person writing (or someone they write about) in danger now?

Its own detector, apart from the offer analyzer: a person locked in by an employer needs the
emergency numbers of their country first, not an opinion on a job offer.
"""

from flows.distress.detector import Distress, DistressDetector

__all__ = ["Distress", "DistressDetector"]
