"""The records of a referral: the files as received (encrypted at rest) and what was read of them."""
