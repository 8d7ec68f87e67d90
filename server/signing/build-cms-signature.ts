/**
 * A detached CMS SignedData (RFC 5652) in the CAdES-BES form PAdES baseline B-B asks for
 * (ETSI EN 319 142-1): signed attributes content-type, message-digest and signing-certificate-v2,
 * no signing-time (a PAdES signature carries its time in the signature dictionary's /M).
 *
 * Built here rather than with node-forge because forge re-encodes the certificate's issuer name and
 * gets Vietnamese UTF8String names wrong, which makes `pdfsig` reject the signature (STACK-NOTES).
 * We copy the issuer and serial number from the certificate's own bytes instead.
 */
import { createHash, sign, type KeyObject } from "node:crypto";
import { children, contextTag, derNull, octetString, oid, rawOf, readTlv, sequence, setOf, smallInteger } from "./der.ts";

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
} as const;

export type CmsSignatureOptions = {
  /** The bytes being signed (for a PDF: everything /ByteRange covers). */
  content: Uint8Array;
  /** The signer's private key (RSA or EC). */
  key: KeyObject;
  /** The signer's certificate (DER) first, then any chain certificates to embed. */
  certificates: Uint8Array[];
};

/** Issuer name and serial number of a DER certificate, as the certificate encodes them. */
export function issuerAndSerial(certDer: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const cert = readTlv(certDer, 0);
  const [tbsTlv] = children(certDer, cert);
  if (!tbsTlv) throw new Error("certificate without tbsCertificate");
  const tbs = children(certDer, tbsTlv);
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, …
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = tbs[offset];
  const issuer = tbs[offset + 2];
  if (!serial || serial.tag !== 0x02 || !issuer || issuer.tag !== 0x30) throw new Error("certificate: unexpected tbsCertificate layout");
  return { issuer: rawOf(certDer, issuer), serial: rawOf(certDer, serial) };
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest();
const attribute = (type: string, value: Uint8Array) => sequence(oid(type), setOf(value));

/**
 * Signs `content` and returns the DER ContentInfo to put in a PDF signature's /Contents.
 * @throws Error for key types other than RSA and EC, or a certificate that cannot be read.
 */
export function buildCmsSignature({ content, key, certificates }: CmsSignatureOptions): Uint8Array {
  const signerCert = certificates[0];
  if (!signerCert) throw new Error("no signer certificate");
  const keyType = key.asymmetricKeyType;
  if (keyType !== "rsa" && keyType !== "ec") throw new Error(`unsupported key type ${keyType}`);
  const sha256Alg = sequence(oid(OID.sha256));
  const { issuer, serial } = issuerAndSerial(signerCert);

  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(sha256(content))),
    // ESSCertIDv2 with the default hash (SHA-256), so hashAlgorithm is omitted (RFC 5035).
    attribute(OID.signingCertificateV2, sequence(sequence(sequence(octetString(sha256(signerCert)))))),
  ];
  // The signature covers the attributes encoded as a SET; in SignerInfo they sit under [0] IMPLICIT.
  const signedAttrsSet = setOf(...attrs);
  const signature = sign("sha256", signedAttrsSet, key);
  const signedAttrs = Buffer.from(signedAttrsSet);
  signedAttrs[0] = 0xa0;

  const signatureAlg = keyType === "rsa" ? sequence(oid(OID.rsaEncryption), derNull()) : sequence(oid(OID.ecdsaWithSha256));
  const signerInfo = sequence(smallInteger(1), sequence(issuer, serial), sha256Alg, signedAttrs, signatureAlg, octetString(signature));
  const signedData = sequence(smallInteger(1), setOf(sha256Alg), sequence(oid(OID.data)), contextTag(0, ...certificates), setOf(signerInfo));
  return sequence(oid(OID.signedData), contextTag(0, signedData));
}
