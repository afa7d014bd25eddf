"""The referral directory: sourced organisations, place search and routing (issue 5)."""
