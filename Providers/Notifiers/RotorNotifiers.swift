// RotorNotifiers
