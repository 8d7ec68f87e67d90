/**
 * `attachment; filename="15-SGDDT-KTKD.pdf"; filename*=UTF-8''15-SGD%C4%90T-KTK%C4%90.pdf`: an
 * ASCII fallback for old clients and the Vietnamese name (RFC 6266 / RFC 5987) for the rest.
 */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  const ascii = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name.normalize("NFC")).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
