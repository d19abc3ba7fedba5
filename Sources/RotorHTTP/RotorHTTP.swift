// RotorHTTP
