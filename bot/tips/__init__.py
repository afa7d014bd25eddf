"""Anonymous tips on the runtime side: receipts, storage, photos, the effect performer."""
