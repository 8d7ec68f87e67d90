/**
 * ND 30's list punctuation (Kính gửi with several recipients, Nơi nhận, căn cứ): each item ends
 * with ";" and the last with "."; whatever the author typed at the end is replaced. With `dash`,
 * each item starts "- " (an author's own leading dash or bullet is not doubled).
 */
export function punctuateList(items: string[], { dash }: { dash: boolean }): string[] {
  return items.map((item, i) => {
    const text = (dash ? item.replace(/^[-–+•]\s*/u, "") : item).replace(/[.;,]+$/u, "");
    return `${dash ? "- " : ""}${text}${i === items.length - 1 ? "." : ";"}`;
  });
}
