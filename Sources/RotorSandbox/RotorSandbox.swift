// RotorSandbox
