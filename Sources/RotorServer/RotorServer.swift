// RotorServer
