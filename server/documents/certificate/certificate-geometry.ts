/** A4 landscape in points, and the certificate's text area inside the frame. */
export const LANDSCAPE = { width: 841.89, height: 595.28 } as const;
/** Text stays this far inside the page edge (the frame takes the rest). */
export const INSET = 52;
export const CONTENT_WIDTH = LANDSCAPE.width - 2 * INSET;
