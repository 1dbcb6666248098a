package dev.jtorch;

/** How the golden files' generator scripts write values: Python's float.hex() numbers and one-line escaped text. */
public final class GoldenText {
    private GoldenText() {}

    /** A float.hex() (or Double.toHexString) value; Python writes nan and inf without the 0x form. */
    public static double number(String s) {
        return switch (s) {
            case "nan", "NaN" -> Double.NaN;
            case "inf", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** Text written on one line: {@code \n} stands for a newline and a backslash escapes the next character. */
    public static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
