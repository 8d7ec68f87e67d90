/**
 * How a PDF gets its signature: something that turns the bytes a PDF signature covers into a
 * detached CMS. A local PKCS#12 is one transport ({@link createLocalP12Transport}); a remote signing
 * service (a Vietnamese CA's remote-signing API, an HSM) is another that only needs to implement this.
 */
export interface SigningTransport {
  /** The signer's name written into the signature dictionary (the certificate subject's CN). */
  readonly signerName: string;
  /**
   * A DER-encoded detached CMS SignedData (SHA-256) over `data`: for a PDF, the file without its
   * /Contents placeholder. A remote transport may hash locally and send only the digest.
   */
  signDetached(data: Uint8Array): Promise<Uint8Array>;
  /** Releases what the transport holds (connections, key material). */
  close(): Promise<void>;
}
