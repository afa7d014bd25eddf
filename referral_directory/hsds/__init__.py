"""The directory in Open Referral's Human Services Data Specification (HSDS) 3.0: a JSON
array of ``organization`` objects with their ``services``, both ways, without loss."""

from referral_directory.hsds.reader import from_hsds
from referral_directory.hsds.terms import NAMESPACE, hsds_id
from referral_directory.hsds.writer import to_hsds

__all__ = ["NAMESPACE", "from_hsds", "hsds_id", "to_hsds"]
