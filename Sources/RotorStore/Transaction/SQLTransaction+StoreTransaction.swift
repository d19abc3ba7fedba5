import RotorCore

/// Every requirement is implemented in the per-table extensions of ``SQLTransaction``.
extension SQLTransaction: StoreTransaction {}
