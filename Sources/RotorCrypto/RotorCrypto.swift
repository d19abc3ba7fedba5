// RotorCrypto
