import bcrypt from "bcryptjs";

// bcryptjs: pure JS (no native build on a fresh machine), cost 10 keeps sign-in under ~100 ms.
const COST = 10;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);
