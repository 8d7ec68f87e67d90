/**
 * A throwaway CA and an organisation certificate with Vietnamese names, made by openssl, packed as
 * a PKCS#12 as a Vietnamese CA would hand it out. Vietnamese names matter: they are what broke
 * node-forge-based signing (STACK-NOTES), so every signing test uses them.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type TestP12 = { dir: string; p12Path: string; password: string; caPath: string; subjectCn: string; cleanup(): Promise<void> };

export type TestP12Options = {
  cn?: string;
  /** "rsa" (default) or "ec" (P-256). */
  keyType?: "rsa" | "ec";
  /** Pack with the legacy RC2/3DES ciphers older Vietnamese CAs still use. */
  legacy?: boolean;
};

/** Creates the CA, the certificate and the PKCS#12 in a new temporary folder. */
export async function createTestP12({ cn = "Sở Giáo dục và Đào tạo", keyType = "rsa", legacy = false }: TestP12Options = {}): Promise<TestP12> {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-p12-"));
  const f = (name: string) => path.join(dir, name);
  const newKey = keyType === "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
  await run("openssl", [
    "req",
    "-x509",
    "-utf8",
    "-nodes",
    "-newkey",
    "rsa:2048",
    "-days",
    "30",
    "-subj",
    "/C=VN/O=Ban Cơ yếu Chính phủ (thử nghiệm)/CN=CA Thử Nghiệm chidao",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
  ]);
  await run("openssl", ["req", "-new", "-utf8", "-nodes", ...newKey, "-subj", `/C=VN/ST=Thành phố Hồ Chí Minh/O=${cn}/CN=${cn}`, "-keyout", f("org.key"), "-out", f("org.csr")]);
  await writeFile(f("ext.cnf"), "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n");
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    f("org.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "30",
    "-sha256",
    "-extfile",
    f("ext.cnf"),
    "-out",
    f("org.pem"),
  ]);
  const password = "mật-khẩu thử";
  await run("openssl", [
    "pkcs12",
    "-export",
    ...(legacy ? ["-legacy"] : []),
    "-inkey",
    f("org.key"),
    "-in",
    f("org.pem"),
    "-certfile",
    f("ca.pem"),
    "-name",
    cn,
    "-passout",
    `pass:${password}`,
    "-out",
    f("org.p12"),
  ]);
  return { dir, p12Path: f("org.p12"), password, caPath: f("ca.pem"), subjectCn: cn, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
