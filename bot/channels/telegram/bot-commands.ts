/** The commands shown in Telegram's menu, in Vietnamese (set by the runtime); the core answers them. */
export const BOT_COMMANDS = [
  { command: "pending", description: "Văn bản chờ xác nhận" },
  { command: "help", description: "Hướng dẫn" },
] as const;
