"""Organisations' side: staff chats, invite codes, staff actions on tips, digests."""
