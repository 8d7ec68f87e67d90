/**
 * A link code typed or pasted as a message rather than opened as a deep link: the bare code
 * (base64url, as create-link-code.ts makes them) or a whole link carrying it in `?start=`.
 */
export function pastedLinkCode(text: string): string | null {
  const m = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/\w+\?start=([A-Za-z0-9_-]{1,64})$|^([A-Za-z0-9_-]{16,64})$/.exec(text.trim());
  return m ? (m[1] ?? m[2] ?? null) : null;
}
