/**
 * The conversation core's answers, in no platform's terms: each channel adapter renders them its
 * own way (Telegram: HTML and an inline keyboard; Zalo OA: buttons; Zalo Bot: numbered lines).
 */

/** Something the person can pick; `payload` comes back as a button event when they do. */
export type Choice = { label: string; payload: string };

export type Reply =
  /** A message with, optionally, choices under it and a link to open. */
  | { kind: "text"; text: string; choices?: Choice[]; link?: { label: string; url: string } }
  /**
   * The answer to a button press itself (Telegram's callback answer, which also stops the spinner);
   * always the first reply to a press. A platform without such answers shows `text` as a message.
   */
  | { kind: "press_answer"; text?: string; alert?: boolean }
  /** Edit the message that carried the pressed button: append `stamp` and drop its buttons. */
  | { kind: "stamp_carrier"; stamp: string }
  /** Edit the message that carried the pressed button: keep only these choices (none: no buttons). */
  | { kind: "set_carrier_choices"; choices: Choice[] };
