/** Link codes a person typed or pasted instead of opening the link they were given. */

const CODE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * A link code typed or pasted as a message rather than opened as a deep link: the bare code
 * (base64url, as create-link-code.ts makes them) or a whole t.me link carrying it in `?start=`.
 */
export function pastedLinkCode(text: string): string | null {
  const m = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/\w+\?start=([A-Za-z0-9_-]{1,64})$|^([A-Za-z0-9_-]{16,64})$/.exec(text.trim());
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * The link code in a message from someone not linked yet: pasted alone (see {@link pastedLinkCode}),
 * or inside a sentence ("Mã của trường em là Qm9y…, nhờ anh kiểm tra"), as principals write on
 * platforms without deep links. Inside a sentence only a word shaped like our codes counts: 16–64
 * base64url characters with a digit or a capital, which Vietnamese words and ordinary links never are.
 */
export function linkCodeIn(text: string): string | null {
  const pasted = pastedLinkCode(text);
  if (pasted) return pasted;
  for (const word of text.split(/\s+/)) {
    const bare = word.replace(/^[«»"'“”‘’([{<:]+|[«»"'“”‘’)\]}>.,;:!?]+$/gu, "");
    if (CODE.test(bare) && /[0-9A-Z]/.test(bare)) return bare;
  }
  return null;
}
