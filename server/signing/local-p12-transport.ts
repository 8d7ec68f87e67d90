/**
 * Signs with a PKCS#12 file on this server. Node cannot read PKCS#12, so the file is opened once
 * with the `openssl` command line (installed in the image for this purpose): key and certificates
 * come back as PEM on a pipe and stay in memory; the password travels in the child's environment,
 * never on its command line. Each signature is then computed in-process in about a millisecond.
 */
import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { buildCmsSignature } from "./build-cms-signature.ts";
import type { SigningTransport } from "./signing-transport.ts";

export type LocalP12Options = { path: string; password: string };

/** Runs openssl with `input` on its stdin and resolves with its stdout. */
function openssl(args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("openssl", args, { maxBuffer: 1 << 20, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err as Error, { stderr: String(stderr) }));
      else resolve(String(stdout));
    });
    child.stdin?.end(input);
  });
}

/** Runs `openssl pkcs12` and returns its PEM output; retries with the legacy provider for old RC2/DES files. */
async function p12ToPem({ path, password }: LocalP12Options): Promise<string> {
  // The password goes through stdin: neither the command line nor the environment shows it.
  const base = ["pkcs12", "-in", path, "-nodes", "-passin", "stdin"];
  try {
    return await openssl(base, `${password}\n`);
  } catch (first) {
    // OpenSSL 3 refuses RC2-40, which many older PKCS#12 exports still use, unless -legacy is given.
    try {
      return await openssl([...base, "-legacy"], `${password}\n`);
    } catch {
      const stderr = String((first as { stderr?: string }).stderr ?? first)
        .trim()
        .split("\n")[0];
      throw new Error(`cannot open PKCS#12 ${path}: ${stderr}`, { cause: first });
    }
  }
}

function pemBlocks(pem: string, label: RegExp): string[] {
  const re = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;
  return [...pem.matchAll(re)].filter((m) => label.test(m[1]!)).map((m) => m[0]);
}

/** The common name of a certificate subject as Node prints it ("CN=…" line). */
function commonName(cert: X509Certificate): string {
  const line = cert.subject.split("\n").find((l) => l.startsWith("CN="));
  return line ? line.slice(3) : cert.subject;
}

/** Picks the certificate whose public key matches `key`, and keeps the others as the chain. */
function orderCertificates(key: KeyObject, certs: X509Certificate[]): X509Certificate[] {
  const ours = createPublicKey(key).export({ type: "spki", format: "der" });
  const index = certs.findIndex((c) => c.publicKey.export({ type: "spki", format: "der" }).equals(ours));
  if (index < 0) throw new Error("the PKCS#12 holds no certificate for its private key");
  return [certs[index]!, ...certs.filter((_, i) => i !== index)];
}

/**
 * Opens the PKCS#12 at `path` and returns a transport that signs with its key.
 * @throws Error when the file cannot be read, the password is wrong, or key and certificate do not match.
 */
export async function createLocalP12Transport(options: LocalP12Options): Promise<SigningTransport> {
  const pem = await p12ToPem(options);
  const keyPem = pemBlocks(pem, /PRIVATE KEY$/)[0];
  if (!keyPem) throw new Error(`the PKCS#12 ${options.path} holds no private key`);
  const key = createPrivateKey(keyPem);
  const certs = orderCertificates(
    key,
    pemBlocks(pem, /^CERTIFICATE$/).map((c) => new X509Certificate(c)),
  );
  const certificates = certs.map((c) => new Uint8Array(c.raw));
  return {
    signerName: commonName(certs[0]!),
    async signDetached(content) {
      return buildCmsSignature({ content, key, certificates });
    },
    // Nothing to release: key and certificates live only in this closure.
    async close() {},
  };
}
