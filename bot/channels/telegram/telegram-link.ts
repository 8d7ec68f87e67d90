/** The way in for a link code on Telegram: the bot's deep link, which opens the chat and sends `/start <code>`. */
export const telegramLinkUrl =
  (username: string) =>
  (code: string): string =>
    `https://t.me/${username}?start=${code}`;
