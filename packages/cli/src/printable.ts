/**
 * The one function every string the CLI writes passes through (src/Output.ts calls it): text a
 * server supplied (a username, an error message, an approval URL) must not drive the terminal it
 * is printed on.
 */

/**
 * What stands in for a control character or a whole escape sequence: visible, and never part of
 * one.
 */
export const REPLACEMENT = "\uFFFD"

/**
 * Escape sequences as terminals read them, each replaced whole (so no tail of one is left to
 * print as text):
 * - OSC (`ESC ]`, or 8-bit `0x9d`) and the string commands DCS, SOS, PM, APC (`ESC P/X/^/_`, or
 *   `0x90/0x98/0x9e/0x9f`), up to BEL or ST (`ESC \` or `0x9c`), or to the end of the text when
 *   unterminated: the window title (OSC 0), the clipboard (OSC 52), hyperlinks (OSC 8);
 * - CSI (`ESC [`, or `0x9b`) with its parameters and final byte: clear-screen, cursor moves,
 *   colours;
 * - any other `ESC` and the character after it (`ESC c` resets the terminal).
 */
const escapeSequence =
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u009c\u001b]*(?:\u0007|\u009c|\u001b\\|(?=\u001b)|$)|(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b[\s\S]?/g

/**
 * Characters that change what a line shows without being seen: C0 controls (`\r` forges a
 * line over the one printed, `\b` erases, `\n` starts a new one), DEL, C1 controls, the bidi
 * controls (U+202E "right-to-left override" reverses what follows, U+2066–U+2069 isolates, the
 * marks U+200E, U+200F and U+061C) and the line and paragraph separators U+2028 and U+2029.
 */

const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * `text` safe to print on a terminal: each escape sequence, control character and bidi control
 * replaced by {@link REPLACEMENT}; everything else as it was.
 */
export const printable = (text: string): string =>
  text.replace(escapeSequence, REPLACEMENT).replace(invisible, REPLACEMENT)
