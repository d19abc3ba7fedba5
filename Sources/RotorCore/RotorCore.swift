// RotorCore
