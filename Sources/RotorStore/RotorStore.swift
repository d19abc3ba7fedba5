// RotorStore
