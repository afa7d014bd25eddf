"""Transport adapters: each turns its transport's updates into ``Inbound`` events and
renders ``Reply`` values for its channel. No flow logic lives here."""
